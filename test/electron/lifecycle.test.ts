import { describe, expect, it } from 'vitest';
import { createPeer, expose } from '../../src/index';
import { brokerPorts } from '../../src/electron/brokerPorts';
import { mainEndpoint } from '../../src/electron/mainEndpoint';
import { parentEndpoint } from '../../src/electron/parentEndpoint';
import { rendererEndpoint } from '../../src/electron/rendererEndpoint';
import { utilityEndpoint } from '../../src/electron/utilityEndpoint';
import { rejects, sleep } from '../contracts/harness';
import { FakeUtilityProcess } from './fakeUtility';
import type { FakeDocument, FakeWebContents } from './fakeRenderer';
import { electron, onCleanup, openWindow, preload } from './setup';

interface PageApi {
  hang(): Promise<never>;
  ticks(): AsyncGenerator<number>;
  ping(): string;
}
const pageApi = {
  hang: () => new Promise<never>(() => {}),
  async *ticks() {
    for (let i = 0; ; i++) {
      await sleep(5);
      yield i;
    }
  },
  ping: () => 'pong',
};

/** Main connected to the page in `doc`, answering `pageApi` there. */
async function connected(contents: FakeWebContents, doc: FakeDocument) {
  const main = createPeer<PageApi>(rendererEndpoint(contents, { electron }));
  const page = expose(pageApi, mainEndpoint({ window: doc.window as never }));
  onCleanup(() => (main.close(), page.close()));
  expect(await main.remote.ping()).toBe('pong');
  return main;
}

describe('a renderer that goes away closes its peers on the main side', () => {
  const cases: Array<[string, (contents: FakeWebContents) => void, RegExp]> = [
    ['destroyed', (contents) => contents.destroy(), /the renderer was destroyed/],
    ['render-process-gone', (contents) => contents.crash('oom'), /the renderer process is gone \(oom\)/],
    ['a main-frame navigation to a new document', (contents) => void contents.load('app://app/other.html'), /the renderer navigated to app:\/\/app\/other\.html/],
  ];
  for (const [name, end, reason] of cases) {
    it(`${name}: pending calls and streams reject with PeerClosedError`, async () => {
      const { contents, doc } = openWindow();
      const main = await connected(contents, doc);
      const call = main.remote.hang();
      const stream = await main.remote.ticks();
      await stream.next();
      end(contents);
      const error = await rejects(call, 'PeerClosedError');
      expect(error.message).toMatch(reason);
      await rejects(stream.next(), 'PeerClosedError');
      expect(main.closed).toBe(true);
    });
  }

  it('same-document and subframe navigations close nothing', async () => {
    const { contents, doc } = openWindow();
    const main = await connected(contents, doc);
    const call = main.remote.hang();
    contents.navigateInPage('app://app/index.html#settings');
    const frame = contents.addSubframe('https://ads.example/');
    contents.navigateSubframe(frame, 'https://ads.example/next');
    await sleep(20);
    expect(main.closed).toBe(false);
    expect(await main.remote.ping()).toBe('pong');
    main.close();
    await rejects(call, 'PeerClosedError');
  });

  it("the page's port closing (its document gone without a goodbye) rejects pending calls", async () => {
    const { contents, doc } = openWindow();
    const main = await connected(contents, doc);
    const call = main.remote.hang();
    for (const port of doc.window.ports) port.close();
    await rejects(call, 'PeerClosedError');
  });

  it('after a navigation, a new endpoint talks to the new document', async () => {
    const { contents, doc } = openWindow();
    const first = await connected(contents, doc);
    const next = preload(contents.load('app://app/next.html'));
    expect(first.closed).toBe(true);
    await connected(contents, next);
  });
});

describe('either side may start first', () => {
  it('main makes its endpoint before the window loads anything; the first page that loads connects', async () => {
    const contents = new (await import('./fakeRenderer')).FakeWebContents();
    onCleanup(() => contents.destroy());
    const main = createPeer<PageApi>(rendererEndpoint(contents, { electron }));
    onCleanup(() => main.close());
    const call = main.remote.ping();
    const doc = preload(contents.load('app://app/index.html')); // its did-start-navigation closes nothing: not connected yet
    const page = expose(pageApi, mainEndpoint({ window: doc.window as never }));
    onCleanup(() => page.close());
    expect(await call).toBe('pong');
  });

  it('the page asks before main listens: main announces itself and the page asks again', async () => {
    const { contents, doc } = openWindow();
    const page = createPeer<{ version(): string }>(mainEndpoint({ window: doc.window as never }));
    onCleanup(() => page.close());
    const call = page.remote.version();
    await sleep(50);
    const main = expose({ version: () => '1.2.3' }, rendererEndpoint(contents, { electron }));
    onCleanup(() => main.close());
    expect(await call).toBe('1.2.3');
  });
});

describe('utility process and brokered ports', () => {
  it("the child's exit closes main's peer; terminate() kills the child", async () => {
    const child = new FakeUtilityProcess();
    const far = expose(pageApi, parentEndpoint(child.parentPort));
    onCleanup(() => far.close());
    const main = createPeer<PageApi>(utilityEndpoint(child));
    const call = main.remote.hang();
    child.exit(1);
    const error = await rejects(call, 'PeerClosedError');
    expect(error.message).toMatch(/the utility process \d+ exited with code 1/);

    const second = new FakeUtilityProcess();
    const exited = new Promise((resolve) => second.once('exit', resolve));
    const peer = createPeer<PageApi>(utilityEndpoint(second));
    const pending = peer.remote.hang();
    peer.terminate();
    await rejects(pending, 'PeerClosedError');
    expect(await exited).toBe(143);
  });

  it('a window destroyed before taking its brokered port cancels the link: the other page closes', async () => {
    const a = openWindow('app://app/a.html');
    const b = openWindow('app://app/b.html');
    brokerPorts(a.contents, b.contents, { channel: 'link', electron });
    const near = createPeer<PageApi>(mainEndpoint({ window: a.doc.window as never, channel: 'link' }));
    onCleanup(() => near.close());
    const call = near.remote.ping(); // waits: b has not asked
    await sleep(20);
    b.contents.destroy();
    await rejects(call, 'PeerClosedError');
  });

  it('cancel() before the pages ask: the page that took its port sees its peer close', async () => {
    const a = openWindow('app://app/a.html');
    const b = openWindow('app://app/b.html');
    const cancel = brokerPorts(a.contents, b.contents, { channel: 'link', electron });
    const near = createPeer<PageApi>(mainEndpoint({ window: a.doc.window as never, channel: 'link' }));
    onCleanup(() => near.close());
    const call = near.remote.ping();
    await sleep(20);
    cancel();
    await rejects(call, 'PeerClosedError');
  });
});

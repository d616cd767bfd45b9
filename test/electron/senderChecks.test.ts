import { describe, expect, it, vi } from 'vitest';
import { createPeer } from '../../src/index';
import { CONNECT, handover } from '../../src/electron/handover';
import { mainEndpoint } from '../../src/electron/mainEndpoint';
import { rendererEndpoint, type RendererEndpointOptions } from '../../src/electron/rendererEndpoint';
import { sleep } from '../contracts/harness';
import { FakeChannelMain } from './fakePorts';
import type { FakeDocument, FakeWebContents } from './fakeRenderer';
import { APP_PATH, electron, ignoredLog, onCleanup, openWindow, preload } from './setup';

interface MainApi {
  secret(): string;
}

/** Main exposes `secret` on `contents`; returns the spy and what onIgnored saw. */
function mainSide(contents: FakeWebContents, options: RendererEndpointOptions = {}) {
  const secret = vi.fn(() => 'the secret');
  const log = ignoredLog();
  const peer = createPeer(rendererEndpoint(contents, { electron, onIgnored: log.onIgnored, ...options }), { handlers: { secret }, timeout: 200 });
  onCleanup(() => peer.close());
  return { secret, seen: log.seen, peer };
}

/**
 * What onIgnored saw, each once: a page asks again when main announces it is listening, so a
 * refused page may be refused twice.
 */
const unique = (seen: Array<[string, unknown]>) => [...new Map(seen.map((entry) => [JSON.stringify(entry), entry])).values()];

/** The page in `doc` tries to call main; resolves to what it got (value, or error name). */
async function pageTries(doc: FakeDocument, timeout = 150): Promise<string> {
  const page = createPeer<MainApi>(mainEndpoint({ window: doc.window as never }), { timeout });
  onCleanup(() => page.close());
  return page.remote.secret().then(String, (error: Error) => error.name);
}

describe('sender checks: main hands a port only to an allowed main frame', () => {
  it('the page the window loaded first connects (default allowlist: its origin)', async () => {
    const { contents, doc } = openWindow('app://app/index.html');
    const main = mainSide(contents);
    expect(await pageTries(doc)).toBe('the secret');
    expect(main.seen).toEqual([]);
  });

  it('a page of another origin is ignored: nothing runs, its call times out, onIgnored sees "origin"', async () => {
    const { contents } = openWindow('app://app/index.html');
    const main = mainSide(contents);
    const evil = preload(contents.load('https://evil.example/'));
    expect(await pageTries(evil)).toBe('TimeoutError');
    expect(main.secret).not.toHaveBeenCalled();
    expect(unique(main.seen)).toEqual([['origin', { channel: '' }]]);
    // The main side's own error names the refusal.
    const error = await main.peer.remote.$call('anything', [], { timeout: 50 }).catch((e: Error) => e);
    expect(String((error as Error).message)).toMatch(/a request was ignored: origin, allowed: app:\/\/app/);
  });

  it('explicit allowedOrigins: exact strings and anchored RegExps; the rest is "origin"', async () => {
    const { contents, doc } = openWindow('https://admin.example.com/');
    expect(await pageTries(doc)).toBe('TimeoutError'); // nobody in main yet: a page alone waits
    const main = mainSide(contents, { allowedOrigins: [/^https:\/\/(app|admin)\.example\.com$/] });
    expect(await pageTries(preload(contents.load('https://admin.example.com/x')))).toBe('the secret');
    const other = mainSide(contents, { allowedOrigins: ['https://app.example.com'], channel: 'b' });
    const page = createPeer<MainApi>(mainEndpoint({ window: contents.mainFrame.document.window as never, channel: 'b' }), { timeout: 150 });
    onCleanup(() => page.close());
    expect(await page.remote.secret().catch((e: Error) => e.name)).toBe('TimeoutError');
    expect(other.seen.map(([reason]) => reason)).toContain('origin');
    expect(main.secret).toHaveBeenCalledTimes(1);
  });

  it('a subframe is ignored ("frame") unless allowSubframes, and then only with an allowed top frame', async () => {
    const { contents } = openWindow('app://app/index.html');
    const refused = mainSide(contents, { channel: '' });
    const frame = contents.addSubframe('app://app/frame.html');
    expect(await pageTries(preload(frame.document))).toBe('TimeoutError');
    expect(new Set(refused.seen.map(([reason]) => reason))).toEqual(new Set(['frame']));
    expect(refused.secret).not.toHaveBeenCalled();

    const allowed = mainSide(contents, { allowSubframes: true, channel: 'sub' });
    const sub = createPeer<MainApi>(mainEndpoint({ window: frame.document.window as never, channel: 'sub' }), { timeout: 200 });
    onCleanup(() => sub.close());
    expect(await sub.remote.secret()).toBe('the secret');
    expect(allowed.seen.filter(([reason]) => reason !== 'channel')).toEqual([]);

    const foreign = contents.addSubframe('https://ads.example/');
    const third = mainSide(contents, { allowSubframes: true, channel: 'ads' });
    const ads = createPeer<MainApi>(mainEndpoint({ window: preload(foreign.document).window as never, channel: 'ads' }), { timeout: 150 });
    onCleanup(() => ads.close());
    expect(await ads.remote.secret().catch((e: Error) => e.name)).toBe('TimeoutError');
    expect(unique(third.seen.filter(([reason]) => reason !== 'channel'))).toEqual([['origin', { channel: 'ads' }]]);
  });

  it('a request whose frame navigated before main read it has a null senderFrame: "sender"', async () => {
    const { contents, doc } = openWindow('app://app/index.html');
    const main = mainSide(contents);
    (doc.window.portwire as { connect(channel: string): void }).connect('');
    contents.load('app://app/next.html'); // before the request crosses to main
    await sleep(30);
    expect(main.seen).toEqual([['sender', { channel: '' }]]);
    expect(main.secret).not.toHaveBeenCalled();
  });

  it('forged hand-overs: a request carrying ports, a second request, another sender, junk', async () => {
    const { contents, doc } = openWindow('app://app/index.html');
    const main = mainSide(contents, { allowSubframes: true });
    const { port1, port2 } = new (await import('node:worker_threads')).MessageChannel();
    onCleanup(() => port1.close());
    doc.ipcRenderer.postMessage(CONNECT, { channel: '' }, [port2]); // "use my port"
    doc.ipcRenderer.send(CONNECT, 'not a request');
    doc.ipcRenderer.send(CONNECT, { channel: 7 });
    contents.ipc.emit(CONNECT, { sender: {}, senderFrame: contents.mainFrame, ports: [] }, { channel: '' });
    await sleep(30);
    expect(main.seen.map(([reason]) => reason)).toEqual(['sender', 'malformed', 'malformed', 'malformed']);
    expect(await pageTries(doc)).toBe('the secret');
    // The same frame asking again (as it does when main's READY crosses its request) is dropped quietly…
    const count = main.seen.length;
    doc.ipcRenderer.send(CONNECT, { channel: '' });
    await sleep(30);
    expect(main.seen.length).toBe(count);
    // …another frame asking for a port already handed over is "stale".
    preload(contents.addSubframe('app://app/frame.html').document).ipcRenderer.send(CONNECT, { channel: '' });
    await sleep(30);
    expect(main.seen.at(-1)).toEqual(['stale', { channel: '' }]);
    expect(main.secret).toHaveBeenCalledTimes(1);
  });

  it('the page takes a port only from its own window: an iframe posting a hand-over is "source"', async () => {
    const { contents, doc } = openWindow('app://app/index.html');
    const log = ignoredLog();
    const page = createPeer<MainApi>(mainEndpoint({ window: doc.window as never, onIgnored: log.onIgnored }), { timeout: 150 });
    onCleanup(() => page.close());
    const forged = new FakeChannelMain();
    const iframe = contents.addSubframe('https://evil.example/');
    doc.window.postFrom(iframe.document.window, handover('', 'all'), [forged.port2.take()]);
    doc.window.postMessage({ portwire: 'electron', channel: '' }, '*'); // no port, no transfers field
    doc.window.postMessage(handover('other', 'all'), '*', [new FakeChannelMain().port2.take()]);
    expect(await page.remote.secret().catch((e: Error) => e.name)).toBe('TimeoutError');
    expect(log.seen.map(([reason]) => reason)).toEqual(['source', 'malformed', 'channel']);
  });

  it('file:// pages connect by path inside the app directory, never outside it', async () => {
    const inside = `file://${APP_PATH}/index.html`;
    const { contents, doc } = openWindow(inside);
    const main = mainSide(contents);
    expect(await pageTries(doc)).toBe('the secret');
    for (const [i, url] of ['file:///etc/secret.html', `file://${APP_PATH}.evil/x.html`, `file://${APP_PATH}/../secret.html`].entries()) {
      const other = mainSide(contents, { channel: `f${i}` });
      const page = createPeer<MainApi>(mainEndpoint({ window: preload(contents.load(url)).window as never, channel: `f${i}` }), { timeout: 100 });
      onCleanup(() => page.close());
      expect(await page.remote.secret().catch((e: Error) => e.name)).toBe('TimeoutError');
      expect(unique(other.seen.filter(([reason]) => reason !== 'channel'))).toEqual([['origin', { channel: `f${i}` }]]);
    }
    // appPath can be set: a file page outside it is refused even when file:// is allowed.
    const narrow = mainSide(contents, { channel: 'n', allowedOrigins: ['file://'], appPath: `${APP_PATH}/renderer` });
    const page = createPeer<MainApi>(mainEndpoint({ window: preload(contents.load(inside)).window as never, channel: 'n' }), { timeout: 100 });
    onCleanup(() => page.close());
    expect(await page.remote.secret().catch((e: Error) => e.name)).toBe('TimeoutError');
    expect(unique(narrow.seen.filter(([reason]) => reason !== 'channel'))).toEqual([['origin', { channel: 'n' }]]);
  });

  it('the opaque origin "null" never matches, and cannot be allowed', async () => {
    const { contents, doc } = openWindow('data:text/html,<p>hi</p>');
    const main = mainSide(contents, { allowedOrigins: [/.*/] });
    expect(await pageTries(doc)).toBe('TimeoutError');
    expect(unique(main.seen)).toEqual([['origin', { channel: '' }]]);
    expect(() => rendererEndpoint(contents, { electron, allowedOrigins: ['null'] })).toThrow(/opaque origin "null" never connects/);
    expect(main.secret).not.toHaveBeenCalled();
  });
});

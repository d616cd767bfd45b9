import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, context, expose, exposeShared, type Remote, type SharedGroup } from '../../src/index';
import { sleep, until } from './support';

// exposeShared() on Node's real MessagePorts, in a stand-in for a SharedWorker's global scope:
// `onconnect` and a 'connect' event carrying each tab's port. The real thing runs in Chromium
// (e2e/sharedGroup.spec.ts).

type Scope = { onconnect?: unknown; addEventListener?: unknown; removeEventListener?: unknown };
const scope = globalThis as unknown as Scope;
let target: EventTarget | undefined;
const open: Array<{ close(): void }> = [];

function pretendSharedWorker(): void {
  target = new EventTarget();
  scope.onconnect = null;
  scope.addEventListener = target.addEventListener.bind(target);
  scope.removeEventListener = target.removeEventListener.bind(target);
}

afterEach(() => {
  for (const item of open.splice(0)) item.close();
  delete scope.onconnect;
  delete scope.addEventListener;
  delete scope.removeEventListener;
});

interface TabSide {
  title(): string;
}

/** A tab connecting: a plain connect() on its end of a new channel. */
function tab(title: string) {
  const { port1, port2 } = new MessageChannel();
  const event = new Event('connect') as Event & { ports: MessagePort[] };
  event.ports = [port2];
  target!.dispatchEvent(event);
  const remote = connect<SharedApi>(port1 as never, { handlers: { title: () => title } });
  open.push({ close: () => (remote.$close(), port1.close()) });
  return { remote, port: port1 };
}

const api = {
  whoami: () => context().caller,
  async titleBack() {
    const { caller, remote } = context<Remote<TabSide>>();
    return `${caller}: ${await remote.title()}`;
  },
};
type SharedApi = typeof api;

function start(heartbeat = 1000): SharedGroup<TabSide> {
  pretendSharedWorker();
  const group = exposeShared<typeof api, TabSide>(api, { heartbeat });
  open.push(group);
  return group;
}

describe('exposeShared (a stand-in SharedWorker scope over real MessagePorts)', () => {
  it('outside a SharedWorker it throws NOT_SHARED_WORKER', () => {
    expect(() => exposeShared(api)).toThrow(expect.objectContaining({ code: 'NOT_SHARED_WORKER' }));
  });

  it('expose() without an endpoint inside a SharedWorker says to use exposeShared', () => {
    pretendSharedWorker();
    expect(() => expose(api)).toThrow(expect.objectContaining({ code: 'NO_ENDPOINT', message: expect.stringContaining('exposeShared') }));
  });

  it('answers every tab: caller is its member id, context().remote calls it back; notify and callAll reach all', async () => {
    const group = start();
    const joined: string[] = [];
    group.on('join', (id) => joined.push(id));
    const a = tab('tab A');
    const b = tab('tab B');
    const ida = (await a.remote.whoami())!;
    const idb = (await b.remote.whoami())!;
    expect(joined).toEqual([ida, idb]);
    expect(group.peers).toEqual([ida, idb]);
    expect(await a.remote.titleBack()).toBe(`${ida}: tab A`);
    expect(await group.peer(idb).title()).toBe('tab B');
    const titles = await group.callAll('title', []);
    expect(titles).toEqual([
      { id: ida, status: 'fulfilled', value: 'tab A' },
      { id: idb, status: 'fulfilled', value: 'tab B' },
    ]);
    expect(() => (group as unknown as { isLeader: boolean }).isLeader).toThrow(expect.objectContaining({ code: 'NO_LEADER' }));
  });

  it("a tab that closes leaves at once ('left'); one that goes silent leaves after the heartbeat ('silent')", async () => {
    const group = start(50);
    const left: Array<[string, string]> = [];
    group.on('leave', (id, reason) => left.push([id, reason]));
    const a = tab('tab A');
    const b = tab('tab B');
    const ida = (await a.remote.whoami())!;
    const idb = (await b.remote.whoami())!;
    a.remote.$close();
    await until(() => left.length === 1);
    expect(left).toEqual([[ida, 'left']]);
    // The tab stops answering without a word: its port stops delivering (a crashed page).
    b.port.removeAllListeners('message');
    b.port.postMessage = () => {};
    await until(() => left.length === 2, 3000, 'the silent tab to be dropped');
    expect(left[1]).toEqual([idb, 'silent']);
    expect(group.peers).toEqual([]);
  });

  it('close() ends every tab’s connection: their pending calls reject with PeerClosedError', async () => {
    const group = start();
    const a = tab('tab A');
    await a.remote.whoami();
    const pending = a.remote.$call('titleBack', []);
    group.close();
    await expect(pending).rejects.toMatchObject({ name: 'PeerClosedError' });
    await sleep(10);
    await expect(a.remote.whoami()).rejects.toMatchObject({ name: 'PeerClosedError' });
  });
});

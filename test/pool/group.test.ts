import { describe, expect, it } from 'vitest';
import { context, PeerClosedError } from '../../src/index';
import type { PageApi } from './fixtures/poolApi';
import { rejection, testPool, until } from './support';

// A pool is a group of its workers: peers, join/leave, notify, callAll settled per worker,
// peer(id), and the page's own handlers that workers call back with context().caller set.

describe('the group shape', () => {
  it('peers are the running workers; join fires as each starts, before any call reaches it', async () => {
    const workers = await testPool({ size: 2 });
    const joined: string[] = [];
    workers.on('join', (id) => {
      joined.push(id);
      workers.peer(id).$notify('setConfig', `told on join ${id}`);
    });
    expect(workers.peers).toEqual([]);
    const configs = await Promise.all([workers.remote.getConfig(), workers.remote.getConfig()]);
    expect(workers.peers).toEqual(joined);
    expect(new Set(workers.peers).size).toBe(2);
    expect(workers.id).not.toBe(joined[0]);
    expect(configs.map((c) => c.config).sort()).toEqual(joined.map((id) => `told on join ${id}`).sort());
  });

  it('notify and callAll address every worker: missing ones start first', async () => {
    const workers = await testPool({ size: 3 });
    workers.notify('setConfig', { theme: 'dark' });
    expect(workers.peers).toHaveLength(3);
    const answers = await workers.callAll('getConfig', []);
    expect(answers.map((a) => a.id)).toEqual(workers.peers);
    for (const answer of answers) expect(answer).toMatchObject({ status: 'fulfilled', value: { config: { theme: 'dark' } } });
    expect(new Set(answers.map((a) => a.status === 'fulfilled' && a.value.worker)).size).toBe(3);
  });

  it('callAll settles per worker: failures are entries, a worker that dies mid-call settles at once', async () => {
    const workers = await testPool({ size: 2, eager: true });
    const failed = await workers.callAll('fail', []);
    expect(failed.map((entry) => entry.status)).toEqual(['rejected', 'rejected']);
    expect(failed[0]).toMatchObject({ reason: { name: 'RemoteError', code: 'E_TOO_BIG' } });
    const [a] = workers.peers as [string];
    const all = workers.callAll('wait', [300]);
    workers.peer(a).$terminate();
    const answers = await all;
    expect(answers.find((entry) => entry.id === a)).toMatchObject({ status: 'rejected', reason: { name: 'PeerClosedError' } });
    expect(answers.find((entry) => entry.id !== a)).toMatchObject({ status: 'fulfilled' });
  });

  it('peer(id) is that worker: calls, streams, notify; $close() ends it and the pool starts another', async () => {
    const workers = await testPool({ size: 2, eager: true });
    const events: string[] = [];
    workers.on('leave', (id, reason) => events.push(`leave ${id} ${reason}`));
    workers.on('join', (id) => events.push(`join ${id}`));
    const [a, b] = workers.peers as [string, string];
    const nameA = await workers.peer(a).whoami();
    expect(await workers.peer(b).whoami()).not.toBe(nameA);
    const items = [];
    for await (const tile of workers.peer(a).tiles(3, 0)) items.push(tile.worker);
    expect(items).toEqual([nameA, nameA, nameA]);
    workers.peer(a).$close();
    expect(await rejection(workers.peer(a).whoami())).toBeInstanceOf(PeerClosedError);
    await until(() => workers.peers.length === 2, 5000, 'a replacement');
    expect(events[0]).toBe(`leave ${a} closed`);
    expect(events[1]).toMatch(/^join /);
    expect(workers.peers).not.toContain(a);
    expect(await rejection(workers.peer('nobody').whoami())).toBeInstanceOf(PeerClosedError);
  });

  it("workers call the page's handlers, with context().caller naming the worker", async () => {
    const notes: Array<[string, string | undefined]> = [];
    const handlers: PageApi = { note: (text) => void notes.push([text, context().caller]) };
    const workers = await testPool({ size: 2, handlers });
    const name = await workers.remote.tellPage('hello');
    expect(notes).toEqual([[`${name}: hello`, workers.peers[0]]]);
  });

  it('remote.$notify goes to one worker; $close() on remote closes the pool', async () => {
    const workers = await testPool({ size: 2, eager: true });
    workers.remote.$notify('setConfig', 'once');
    const answers = await workers.callAll('getConfig', []);
    expect(answers.filter((a) => a.status === 'fulfilled' && a.value.config === 'once')).toHaveLength(1);
    workers.remote.$close();
    expect(workers.closed).toBe(true);
  });
});

import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { PeerClosedError } from '../../src/index';
import { rejection, sleep, started, testPool, until } from './support';

// A worker that crashes or exits is replaced; the calls it held reject with PeerClosedError and
// are never run again unless their method was declared idempotent.

describe('crash', () => {
  it('a crash mid-call rejects that call with PeerClosedError; the pool refills and later calls succeed', async () => {
    const workers = await testPool({ size: 2, eager: true });
    await workers.callAll('whoami', []);
    const before = workers.peers;
    const leaves: string[] = [];
    workers.on('leave', (id, reason) => leaves.push(`${id} ${reason}`));
    const doomed = workers.remote.crashIn(30);
    const error = await rejection(doomed);
    expect(error).toBeInstanceOf(PeerClosedError);
    expect(error.message).toContain('the worker crashed on purpose');
    expect(leaves).toHaveLength(1);
    expect(leaves[0]).toMatch(/ exited$/);
    await until(() => workers.peers.length === 2, 5000, 'the pool to refill');
    expect(workers.peers.filter((id) => before.includes(id)), 'one old worker, one new').toHaveLength(1);
    const ran = await Promise.all(Array.from({ length: 6 }, () => workers.remote.spin(20)));
    expect(new Set(ran.map((r) => r.worker)).size, 'both workers, the new one too').toBe(2);
  });

  it('a worker that exits rejects its calls and streams, whichever way they were made', async () => {
    const workers = await testPool({ size: 1 });
    const stream = await workers.remote.tiles(1000, 5);
    await stream.next();
    const id = workers.peers[0]!;
    const exited = once(started[0]!, 'exit');
    const pinned = workers.peer(id).exitIn(20);
    expect(await rejection(pinned)).toBeInstanceOf(PeerClosedError);
    expect(await rejection(stream.next())).toBeInstanceOf(PeerClosedError);
    expect(await exited).toEqual([3]);
    expect(await workers.remote.whoami()).toMatch(/^thread/);
    expect(workers.peers).not.toContain(id);
  });

  it('queued calls wait for the replacement; nothing is run twice by default', async () => {
    const workers = await testPool({ size: 1 });
    await workers.remote.whoami();
    const doomed = workers.remote.crashIn(50);
    const queued = [workers.remote.spin(1), workers.remote.spin(1)];
    expect(workers.stats.queued).toBe(2);
    expect(await rejection(doomed)).toBeInstanceOf(PeerClosedError);
    const ran = await Promise.all(queued);
    expect(ran[0]!.worker).toBe(ran[1]!.worker);
  });

  it('a call to an idempotent method whose worker goes runs again on another worker', async () => {
    const workers = await testPool({ size: 2, eager: true, idempotent: ['spin'] });
    const names = new Map((await workers.callAll('whoami', [])).map((entry) => [entry.id, entry.status === 'fulfilled' && entry.value]));
    const call = workers.remote.spin(300);
    const victim = workers.stats.workers.find((w) => w.inFlight === 1)!.id;
    const victimName = names.get(victim);
    await sleep(50);
    workers.peer(victim).$terminate();
    const ran = await call;
    expect(ran.worker).not.toBe(victimName);
    // A call made to that one worker is not moved: it rejects.
    const [pinnedTo] = workers.peers as [string];
    const pinned = workers.peer(pinnedTo).spin(300);
    workers.peer(pinnedTo).$terminate();
    expect(await rejection(pinned)).toBeInstanceOf(PeerClosedError);
  });

  it('a retried call that kills its second worker too rejects: one retry only', async () => {
    const workers = await testPool({ size: 2, eager: true, idempotent: ['crashIn'] });
    await workers.callAll('whoami', []);
    const leaves: string[] = [];
    workers.on('leave', (_, reason) => leaves.push(reason));
    expect(await rejection(workers.remote.crashIn(30))).toBeInstanceOf(PeerClosedError);
    expect(leaves).toEqual(['exited', 'exited']);
    await until(() => workers.peers.length === 2, 5000, 'the pool to refill');
  });

  it('a worker whose script never answers is not replaced in a loop; its calls time out', async () => {
    const workers = await testPool({ size: 1, timeout: 300 }, 'notPortwire.worker');
    const error = await rejection(workers.remote.whoami());
    expect(error.name).toBe('TimeoutError');
    expect(error.message).toMatch(/no handshake arrived from the pool's worker/);
    expect(started).toHaveLength(1);
  });
});

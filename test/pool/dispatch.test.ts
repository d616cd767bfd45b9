import { describe, expect, it } from 'vitest';
import { sleep, testPool, until } from './support';

// Which worker a call goes to: a free one now, else the first that frees up, in the order calls
// were made; with a higher concurrency, the one with the fewest in flight, ties in turn.

/** A pool of `size` workers, all started and answering. */
async function ready(options: Parameters<typeof testPool>[0] & { size: number }) {
  const workers = await testPool({ eager: true, ...options });
  await workers.callAll('whoami', []);
  return workers;
}

describe('dispatch', () => {
  it('a worker busy with a long call gets no new call while another is idle', async () => {
    const workers = await ready({ size: 2 });
    const long = workers.remote.spin(600);
    await sleep(20);
    const short = [];
    for (let i = 0; i < 5; i++) short.push(await workers.remote.spin(5));
    const busy = await long;
    for (const call of short) {
      expect(call.worker, 'the short calls all went to the idle worker').not.toBe(busy.worker);
      expect(call.end).toBeLessThan(busy.end);
    }
  });

  it('calls beyond the free slots wait in the pool, in order, and go to the first worker that frees up', async () => {
    const workers = await ready({ size: 2 });
    const first = workers.remote.spin(400);
    const second = workers.remote.spin(100);
    const waiting = [workers.remote.spin(10), workers.remote.spin(10), workers.remote.spin(10)];
    expect(workers.stats.queued).toBe(3);
    expect(workers.stats.workers.map((w) => w.inFlight)).toEqual([1, 1]);
    const [a, b, ...rest] = await Promise.all([first, second, ...waiting]);
    expect(a!.worker).not.toBe(b!.worker);
    // The short call's worker freed up first and took all three, one after the other, in order.
    for (const call of rest) expect(call.worker).toBe(b!.worker);
    expect(rest[0]!.start).toBeGreaterThanOrEqual(b!.end);
    expect(rest[1]!.start).toBeGreaterThanOrEqual(rest[0]!.end);
    expect(rest[2]!.start).toBeGreaterThanOrEqual(rest[1]!.end);
    expect(workers.stats).toEqual({ queued: 0, workers: workers.peers.map((id) => ({ id, inFlight: 0, ready: true })) });
  });

  it('idle workers take calls in turn', async () => {
    const workers = await ready({ size: 2 });
    const order: string[] = [];
    for (let i = 0; i < 6; i++) order.push((await workers.remote.spin(1)).worker);
    expect(new Set(order).size).toBe(2);
    for (let i = 2; i < order.length; i++) expect(order[i]).toBe(order[i - 2]);
    expect(order[0]).not.toBe(order[1]);
  });

  it('with concurrency 2: the worker with the fewest in flight, ties in turn; beyond that the calls wait', async () => {
    const workers = await ready({ size: 2, concurrency: 2 });
    const calls = Array.from({ length: 4 }, () => workers.remote.wait(200));
    expect(workers.stats.workers.map((w) => w.inFlight)).toEqual([2, 2]);
    const fifth = workers.remote.wait(1);
    expect(workers.stats.queued).toBe(1);
    const ran = await Promise.all(calls);
    expect(ran.filter((r) => r.worker === ran[0]!.worker)).toHaveLength(2);
    expect((await fifth).start).toBeGreaterThanOrEqual(Math.min(...ran.map((r) => r.end)));
    // One call in flight on the first worker: the next goes to the other, which has none.
    const one = workers.remote.wait(150);
    await sleep(10);
    const other = await workers.remote.wait(1);
    expect(other.worker).not.toBe((await one).worker);
  });

  it('calls made through peer(id) and callAll count in a worker\'s load', async () => {
    const workers = await ready({ size: 2 });
    const [a, b] = workers.peers as [string, string];
    const pinned = workers.peer(a).spin(300);
    expect(workers.stats.workers.find((w) => w.id === a)!.inFlight).toBe(1);
    const next = await workers.remote.whoami();
    expect(next).toBe(await workers.peer(b).whoami());
    await pinned;
    const all = workers.callAll('wait', [200]);
    const queued = workers.remote.whoami();
    expect(workers.stats.queued, 'every worker is busy with callAll').toBe(1);
    await all;
    await queued;
    await until(() => workers.stats.workers.every((w) => w.inFlight === 0), 1000, 'idle workers');
  });
});

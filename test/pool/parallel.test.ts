import { describe, expect, it } from 'vitest';
import { byWorker, overlap, testPool } from './support';

// CPU-bound calls on a pool of two real worker threads: both threads take calls, and their calls
// run at the same time (each call reports when it ran, by the worker's clock on the shared origin).

describe('parallel', () => {
  it('N CPU-bound calls on a pool of 2 use both workers and overlap in time', async () => {
    // Both started and answering first: a worker still loading would leave the other to take every call.
    const workers = await testPool({ size: 2, eager: true });
    await workers.callAll('whoami', []);
    const ran = await Promise.all(Array.from({ length: 8 }, () => workers.remote.spin(40)));
    const groups = byWorker(ran);
    expect(groups.size, 'both workers ran calls').toBe(2);
    const [a, b] = [...groups.values()];
    expect(a!.length + b!.length).toBe(8);
    // Each worker runs one call at a time: its own calls never overlap each other...
    for (const calls of [a!, b!]) {
      const sorted = [...calls].sort((x, y) => x.start - y.start);
      for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.start).toBeGreaterThanOrEqual(sorted[i - 1]!.end);
    }
    // ...while the two workers' calls do.
    const overlapping = a!.filter((x) => b!.some((y) => overlap(x, y)));
    expect(overlapping.length, 'calls of the two workers ran at the same time').toBeGreaterThan(0);
  });

  it('starts workers on demand, up to size, and no more', async () => {
    const workers = await testPool({ size: 3 });
    expect(workers.peers).toEqual([]);
    await workers.remote.spin(1);
    expect(workers.peers, 'one call, one worker').toHaveLength(1);
    await Promise.all(Array.from({ length: 10 }, () => workers.remote.spin(20)));
    expect(workers.peers).toHaveLength(3);
    expect(workers.size).toBe(3);
  });

  it('sizes itself to the cores minus one by default, at least one', async () => {
    const { availableParallelism } = await import('node:os');
    const workers = await testPool();
    expect(workers.size).toBe(Math.max(1, availableParallelism() - 1));
  });
});

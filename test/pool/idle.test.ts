import { describe, expect, it } from 'vitest';
import { sleep, started, testPool, until } from './support';

// Workers start on demand and end after idleTimeout without calls, or start at once and stay.

describe('idle workers', () => {
  it('a worker idle for idleTimeout is terminated; the next call starts a new one', async () => {
    const workers = await testPool({ size: 2, idleTimeout: 150 });
    const leaves: string[] = [];
    workers.on('leave', (id, reason) => leaves.push(`${id} ${reason}`));
    await workers.remote.spin(1);
    const [first] = workers.peers as [string];
    // Kept busy past the timeout: calls every 50 ms keep it alive.
    for (let i = 0; i < 6; i++) {
      await workers.remote.wait(1);
      await sleep(50);
    }
    expect(workers.peers).toEqual([first]);
    await until(() => workers.peers.length === 0, 3000, 'the idle worker to go');
    expect(leaves).toEqual([`${first} idle`]);
    await until(() => started[0]!.threadId === -1, 3000, 'its thread to exit');
    expect(await workers.remote.whoami()).toMatch(/^thread/);
    expect(workers.peers).toHaveLength(1);
    expect(workers.peers[0]).not.toBe(first);
  });

  it('a worker with a long call in flight is not idle, whatever its age', async () => {
    const workers = await testPool({ size: 1, idleTimeout: 50 });
    const ran = await workers.remote.wait(300);
    expect(ran.end - ran.start).toBeGreaterThanOrEqual(290);
    const stream = await workers.remote.tiles(10, 40);
    for (let item = await stream.next(); !item.done; item = await stream.next());
    expect(started).toHaveLength(1);
  });

  it('an eager pool starts every worker at once and keeps them', async () => {
    const workers = await testPool({ size: 3, eager: true, idleTimeout: 20 });
    expect(workers.peers).toHaveLength(3);
    await workers.callAll('whoami', []);
    await sleep(150);
    expect(workers.peers).toHaveLength(3);
  });

  it('options that make no sense are a RangeError when the pool is made', async () => {
    for (const options of [{ size: 0 }, { size: 1.5 }, { concurrency: 0 }, { idleTimeout: -1 }, { timeout: -5 }, { window: 0 }, { heartbeat: -1 }]) {
      await expect(testPool(options), JSON.stringify(options)).rejects.toThrow(RangeError);
    }
  });
});

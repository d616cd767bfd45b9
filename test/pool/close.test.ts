import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PeerClosedError } from '../../src/index';
import { buildFixtures, fixtures, rejection, sleep, started, testPool } from './support';

// close() terminates every worker: nothing is left running, and every call rejects.

const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

describe('close', () => {
  it('terminates every worker; calls in flight, waiting and later reject with PeerClosedError', async () => {
    const workers = await testPool({ size: 2, idleTimeout: 60_000 });
    await Promise.all([workers.remote.spin(5), workers.remote.spin(5)]);
    expect(started).toHaveLength(2);
    const exits = started.map((worker) => once(worker, 'exit'));
    const leaves: string[] = [];
    workers.on('leave', (id) => leaves.push(id));
    const stream = await workers.remote.tiles(1000, 5);
    await stream.next();
    const running = workers.remote.hang();
    const waiting = workers.remote.whoami();
    expect(workers.stats.queued).toBe(1);

    workers.close();
    expect(workers.closed).toBe(true);
    expect(workers.peers).toEqual([]);
    for (const call of [running, waiting, stream.next()]) expect(await rejection(call)).toBeInstanceOf(PeerClosedError);
    expect((await rejection(waiting)).message).toBe('portwire: the pool was closed');
    await Promise.all(exits);
    for (const worker of started) expect(worker.threadId, 'the thread is gone').toBe(-1);
    expect(await rejection(workers.remote.whoami())).toBeInstanceOf(PeerClosedError);
    expect(await rejection(workers.callAll('whoami', []))).toBeInstanceOf(PeerClosedError);
    expect(() => workers.notify('setConfig', 1)).toThrow(PeerClosedError);
    expect(leaves, 'closing is not leaving').toEqual([]);
    workers.close();
  });

  it('leaves no timer behind, after idle clocks, queued timeouts and calls in flight', async () => {
    await sleep(20);
    const before = timers();
    const workers = await testPool({ size: 1, idleTimeout: 60_000 });
    await workers.remote.spin(1);
    const hanging = [workers.remote.$call('hang', [], { timeout: 60_000 }), workers.remote.$call('whoami', [], { timeout: 60_000 }), workers.remote.whoami()];
    await sleep(20);
    workers.close();
    await Promise.all(hanging.map((call) => call.catch(() => {})));
    await sleep(20);
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('a process that used a pool exits by itself once the pool is closed', async () => {
    await buildFixtures();
    const { stdout } = await promisify(execFile)(process.execPath, [`${fixtures}exitsAfterClose.main.js`], { timeout: 15_000 });
    expect(JSON.parse(stdout)).toEqual({ workers: 2, hanging: 'PeerClosedError' });
  });
});

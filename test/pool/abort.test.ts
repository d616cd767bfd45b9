import { describe, expect, it } from 'vitest';
import { AbortError, TimeoutError } from '../../src/index';
import { rejection, sleep, testPool, within } from './support';

// An aborted call frees its worker's slot at once, whether it was running or still waiting in the
// pool; a call's timeout counts from when it was made, time spent waiting in the pool included.

describe('abort and timeouts', () => {
  it('aborting a running call frees its slot at once: the next waiting call goes out', async () => {
    const workers = await testPool({ size: 1 });
    await workers.remote.whoami(); // started and answering
    const controller = new AbortController();
    const hanging = workers.remote.$call('hang', [], { signal: controller.signal });
    const next = workers.remote.whoami();
    expect(workers.stats.queued).toBe(1);
    await sleep(50); // running in the worker by now (aborted sooner, it would never be sent at all)
    controller.abort('enough');
    const error = await rejection(hanging);
    expect(error).toBeInstanceOf(AbortError);
    expect(error.cause).toBe('enough');
    expect(workers.stats.queued, 'sent as soon as the abort freed the slot').toBe(0);
    expect(await next).toMatch(/^thread/);
    expect(await workers.remote.aborted(), "the handler's signal fired").toBe(1);
  });

  it('a CPU-bound call cannot be interrupted: its slot frees at once, and the next call runs after it', async () => {
    const workers = await testPool({ size: 1 });
    const controller = new AbortController();
    const busy = workers.remote.$call('spin', [300], { signal: controller.signal });
    const next = workers.remote.spin(1);
    setTimeout(() => controller.abort(), 50);
    await rejection(busy);
    expect(workers.stats.queued).toBe(0);
    expect(workers.stats.workers[0]!.inFlight).toBe(1);
    const ran = await next;
    expect(ran.end - ran.start).toBeLessThan(100);
  });

  it('a waiting call that is aborted leaves the queue at once and never runs; the others keep their order', async () => {
    const workers = await testPool({ size: 1 });
    const busy = workers.remote.spin(300);
    const controller = new AbortController();
    const first = workers.remote.spin(1);
    const aborted = workers.remote.$call('setConfig', ['from the aborted call'], { signal: controller.signal });
    const last = workers.remote.spin(1);
    controller.abort();
    expect(await within(rejection(aborted), 50)).toBeInstanceOf(AbortError);
    expect(workers.stats.queued).toBe(2);
    const [b, f, l] = await Promise.all([busy, first, last]);
    expect(f!.start).toBeGreaterThanOrEqual(b!.end);
    expect(l!.start).toBeGreaterThanOrEqual(f!.end);
    expect((await workers.remote.getConfig()).config, 'the aborted call never reached a worker').toBeUndefined();
    // An already aborted signal: rejected at once, nothing queued.
    expect(await rejection(workers.remote.$call('whoami', [], { signal: AbortSignal.abort() }))).toBeInstanceOf(AbortError);
  });

  it('a timeout counts from when the call was made: one that runs out while waiting rejects from the queue', async () => {
    const workers = await testPool({ size: 1 });
    const busy = workers.remote.spin(1000);
    const error = await rejection(workers.remote.$call('whoami', [], { timeout: 100 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.timeout).toBe(100);
    expect(error.message).toMatch(/timed out after 100 ms: it waited in the pool/);
    expect(workers.stats.queued).toBe(0);
    expect(workers.stats.workers[0]!.inFlight, 'rejected while the worker was still busy').toBe(1);
    await busy;
  });

  it('a call that waited gets what is left of its timeout, and its error names the whole timeout', async () => {
    const workers = await testPool({ size: 1 });
    const busy = workers.remote.spin(200);
    const made = Date.now();
    const error = await rejection(workers.remote.$call('wait', [1000], { timeout: 400 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toBe('portwire: call to "wait" timed out after 400 ms');
    const took = Date.now() - made;
    expect(took).toBeGreaterThanOrEqual(390);
    expect(took).toBeLessThan(1500);
    await busy;
  });

  it('a call whose timeout runs out while it waits leaves the pool before the busy call ends', async () => {
    const workers = await testPool({ size: 1 });
    // Counted from when the call was made, the timeout ends while the only worker is still busy;
    // counted from dispatch, it could only end after the busy call.
    const order: string[] = [];
    const busy = workers.remote.spin(800).then(() => order.push('busy call answered'));
    const error = await rejection(workers.remote.$call('wait', [1000], { timeout: 300 }));
    order.push('waiting call timed out');
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toBe('portwire: call to "wait" timed out after 300 ms: it waited in the pool for a free worker all that time');
    await busy;
    expect(order).toEqual(['waiting call timed out', 'busy call answered']);
  });

  it("the pool's timeout option covers waiting calls too", async () => {
    const workers = await testPool({ size: 1, timeout: 100 });
    const busy = workers.remote.$call('spin', [300], { timeout: 0 });
    expect(await rejection(workers.remote.whoami())).toBeInstanceOf(TimeoutError);
    await busy;
    await expect(workers.remote.$call('whoami', [], { timeout: -1 })).rejects.toThrow(RangeError);
  });
});

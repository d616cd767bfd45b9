import { describe, expect, it } from 'vitest';
import { sleep, testPool, until, within } from './support';

// A call answered with a stream stays on the worker that started it, and by default holds that
// worker's slot until the stream ends however it ends.

describe('streams', () => {
  it('a stream stays on the worker that started it; other calls go elsewhere meanwhile', async () => {
    const workers = await testPool({ size: 2, eager: true });
    await workers.callAll('whoami', []);
    const seen = new Set<string>();
    const others = new Set<string>();
    for await (const tile of workers.remote.tiles(20, 2)) {
      seen.add(tile.worker);
      if (tile.i % 5 === 0) others.add(await workers.remote.whoami());
    }
    expect(seen.size, 'every item from one worker').toBe(1);
    expect(others.size, 'the calls made meanwhile all went to one worker').toBe(1);
    expect(others.has([...seen][0]!), 'calls made meanwhile went to the other worker').toBe(false);
  });

  it('holds its slot until the reader leaves with break: a call waits, then runs', async () => {
    const workers = await testPool({ size: 1 });
    const iterator = await workers.remote.tiles(1000, 5);
    expect((await iterator.next()).value).toMatchObject({ i: 0 });
    const call = workers.remote.whoami();
    expect(workers.stats.queued).toBe(1);
    expect(await within(call, 100)).toBe('still pending');
    await iterator.return();
    expect(typeof (await call)).toBe('string');
    await until(async () => (await workers.remote.streamsEnded()) === 1, 2000, "the generator's finally");
  });

  it('read to its end, or aborted midway, a stream frees its slot', async () => {
    const workers = await testPool({ size: 1 });
    const items = [];
    for await (const tile of workers.remote.tiles(5, 0)) items.push(tile.i);
    expect(items).toEqual([0, 1, 2, 3, 4]);
    expect(workers.stats.workers[0]!.inFlight).toBe(0);

    const controller = new AbortController();
    const stream = workers.remote.$call('tiles', [1000, 5], { signal: controller.signal });
    const reading = (async () => {
      for await (const tile of stream) if (tile.i === 2) controller.abort();
    })();
    const queued = workers.remote.whoami();
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
    expect(typeof (await queued)).toBe('string');
  });

  it('a stream aborted while nobody reads it frees its slot too', async () => {
    const workers = await testPool({ size: 1 });
    const controller = new AbortController();
    // An item a second: after the first, the worker says nothing for a while.
    const iterator = await workers.remote.$call('tiles', [3, 1000], { signal: controller.signal });
    await iterator.next();
    const queued = workers.remote.whoami();
    await sleep(20);
    expect(workers.stats.queued).toBe(1);
    controller.abort();
    expect(await within(queued, 500), 'sent at the abort, not at the next item').toMatch(/^thread/);
    await expect(iterator.next()).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('with holdStreams: false the slot frees once the stream has started', async () => {
    const workers = await testPool({ size: 1, holdStreams: false });
    const iterator = await workers.remote.tiles(1000, 5);
    await iterator.next();
    expect(await within(workers.remote.whoami(), 2000)).toMatch(/^thread/);
    await iterator.return();
  });

  it('a stream dropped unread frees its slot once collected', async () => {
    const gc = (globalThis as { gc?: () => void }).gc!;
    const workers = await testPool({ size: 1 });
    await (async () => {
      const iterator = await workers.remote.tiles(1000, 5);
      await iterator.next();
    })();
    const call = workers.remote.whoami();
    await until(async () => {
      gc();
      await sleep(20);
      return workers.stats.queued === 0;
    }, 5000, 'the dropped stream to be collected');
    expect(typeof (await call)).toBe('string');
  });
});

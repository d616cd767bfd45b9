import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { AbortError, context, PeerClosedError } from '../../src/index';
import { createPeer } from '../../src/node/index';
import type { UnitWorkerApi } from '../fixtures/unit.worker';
import { closeAll, collect, eventually, onCleanup, pair, rejection, sleep, within, worker } from './helpers';

afterEach(closeAll);

/** An endless producer that records how much it made and whether its `finally` ran. */
function api() {
  const state = { produced: 0, finallyRan: 0, signalAborted: false };
  return {
    state,
    handlers: {
      async *endless(delayMs = 0) {
        try {
          for (let i = 0; ; i++) {
            state.produced++;
            if (delayMs) await sleep(delayMs);
            yield i;
          }
        } finally {
          state.finallyRan++;
        }
      },
      async *short() {
        yield 1;
        yield 2;
      },
      /** Answers with a stream only after a while. */
      async slowToStart(ms: number) {
        await sleep(ms);
        return (async function* () {
          try {
            state.produced++;
            yield 'late';
          } finally {
            state.finallyRan++;
          }
        })();
      },
      /** A generator handler that watches its own context's signal. */
      async *watched() {
        const { signal } = context();
        signal.addEventListener('abort', () => {
          state.signalAborted = true;
        });
        for (let i = 0; ; i++) {
          await sleep(1);
          yield i;
        }
      },
    },
  };
}

/** The producer has stopped for good: its finally ran and it makes nothing more. */
async function producerStopped(state: { produced: number; finallyRan: number }) {
  await eventually(() => state.finallyRan === 1, 2000, 'the producer finally');
  const produced = state.produced;
  await sleep(20);
  expect(state.produced).toBe(produced);
}

describe('stream cancellation', () => {
  it('break in for await stops the producer and runs its finally', async () => {
    const { handlers, state } = api();
    const { remote, near, far } = pair(handlers, { near: { window: 16 } });
    for await (const value of remote.endless()) if (value === 40) break;
    await producerStopped(state);
    expect(state.produced).toBeLessThanOrEqual(41 + 16);
    expect(near.stats.inboxes).toBe(0);
    expect(far.stats.outboxes).toBe(0);
  });

  it('break works the same over an awaited RemoteIterator', async () => {
    const { handlers, state } = api();
    const { remote } = pair(handlers);
    const iterator = await remote.endless();
    for await (const value of iterator) if (value === 3) break;
    await producerStopped(state);
  });

  it('return() ends the stream: it answers done, later next() answers done, the producer stops', async () => {
    const { handlers, state } = api();
    const { remote } = pair(handlers);
    const iterator = await remote.endless();
    await iterator.next();
    expect(await iterator.return()).toEqual({ value: undefined, done: true });
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
    await producerStopped(state);
  });

  it('return() while a next() is still waiting settles that next() as done', async () => {
    const { handlers, state } = api();
    const { remote } = pair(handlers);
    const iterator = await remote.endless(200);
    const waiting = iterator.next();
    await sleep(10);
    await iterator.return();
    expect(await within(waiting, 1000)).toEqual({ value: undefined, done: true });
    await producerStopped(state);
  });

  it("aborting $call's signal mid-iteration rejects the loop with AbortError and stops the producer", async () => {
    const { handlers, state } = api();
    const { remote } = pair(handlers);
    const controller = new AbortController();
    const seen: number[] = [];
    const error = await rejection(
      (async () => {
        for await (const value of remote.$call('endless', [1], { signal: controller.signal })) {
          seen.push(value);
          if (value === 5) controller.abort('enough');
        }
      })(),
    );
    expect(error).toBeInstanceOf(AbortError);
    expect(error).toMatchObject({ method: 'endless', cause: 'enough' });
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
    await producerStopped(state);
  });

  it('aborting before the stream has started rejects with AbortError; the late stream is dropped', async () => {
    const { handlers, state } = api();
    const { remote, far } = pair(handlers);
    const controller = new AbortController();
    const call = remote.$call('slowToStart', [30], { signal: controller.signal });
    await sleep(5);
    controller.abort();
    expect(await rejection(collect(call))).toBeInstanceOf(AbortError);
    await sleep(60);
    expect(state.produced).toBe(0);
    expect(far.stats.outboxes).toBe(0);
  });

  it('aborting after the stream ended changes nothing', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    const controller = new AbortController();
    const iterator = await remote.$call('short', [], { signal: controller.signal });
    expect(await collect(iterator)).toEqual([1, 2]);
    controller.abort();
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });

  it("the signal's listener is removed once the stream ends or is broken off", async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    const { signal } = new AbortController();
    expect(await collect(remote.$call('short', [], { signal }))).toEqual([1, 2]);
    for await (const value of remote.$call('endless', [], { signal })) if (value === 2) break;
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('the consumer closing its peer mid-stream: next() rejects with PeerClosedError, the producer stops', async () => {
    const { handlers, state } = api();
    const { remote, near } = pair(handlers, { near: { window: 4 } });
    const iterator = await remote.endless(1);
    await iterator.next();
    near.close();
    expect(await rejection(iterator.next())).toBeInstanceOf(PeerClosedError);
    await producerStopped(state);
  });

  it('the producer side closing mid-stream: next() rejects with PeerClosedError, its producer stops', async () => {
    const { handlers, state } = api();
    const { remote, far } = pair(handlers, { near: { window: 4 } });
    const iterator = await remote.endless(1);
    await iterator.next();
    far.close();
    const error = await rejection(collect(iterator));
    expect(error).toBeInstanceOf(PeerClosedError);
    await producerStopped(state);
  });

  it('the port closing mid-stream: next() rejects with PeerClosedError, the producer stops', async () => {
    const { handlers, state } = api();
    const { remote, port1 } = pair(handlers, { near: { window: 4 } });
    const iterator = await remote.endless(1);
    await iterator.next();
    port1.close();
    expect(await rejection(collect(iterator))).toBeInstanceOf(PeerClosedError);
    await producerStopped(state);
  });

  it('a worker thread terminated mid-stream rejects next() with PeerClosedError', async () => {
    const thread = worker('unit.worker');
    const near = createPeer<UnitWorkerApi>(thread, { window: 4 });
    onCleanup(() => near.close());
    const iterator = await near.remote.ticks(1_000_000, 1);
    await iterator.next();
    await thread.terminate();
    expect(await rejection(collect(iterator))).toBeInstanceOf(PeerClosedError);
  });

  it("a generator handler can read its context, and its signal fires when the consumer breaks", async () => {
    const { handlers, state } = api();
    const { remote } = pair(handlers);
    const items = [];
    for await (const value of remote.watched()) {
      items.push(value);
      if (value === 2) break;
    }
    expect(items).toEqual([0, 1, 2]);
    await eventually(() => state.signalAborted, 1000, "the generator's context signal");
  });

  it('an iterator dropped without return() releases the producer once it is garbage-collected', async () => {
    const { handlers, state } = api();
    const { remote, far } = pair(handlers);
    await (async () => {
      const iterator = await remote.endless();
      await iterator.next();
    })();
    const gc = (globalThis as { gc?: () => void }).gc;
    expect(gc, 'vitest runs with --expose-gc').toBeTypeOf('function');
    await eventually(
      async () => {
        gc!();
        await sleep(10);
        return state.finallyRan === 1;
      },
      5000,
      'the producer finally after GC',
    );
    expect(far.stats.outboxes).toBe(0);
  });
});

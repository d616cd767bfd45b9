import { afterEach, describe, expect, it } from 'vitest';
import { createPeer } from '../../src/node/index';
import { RemoteIterator } from '../../src/streams/RemoteIterator';
import type { UnitWorkerApi } from '../fixtures/unit.worker';
import { closeAll, collect, onCleanup, pair, rejection, sleep, worker } from './helpers';

afterEach(closeAll);

function api() {
  const state = { started: 0 };
  return {
    state,
    handlers: {
      async *count(n: number) {
        state.started++;
        for (let i = 0; i < n; i++) yield i;
      },
      async *empty() {},
      async *values() {
        yield { date: new Date(0), map: new Map([[1, 'one']]) };
        yield [1, [2, [3]]];
        yield undefined;
        yield null;
      },
      /** An async method whose promise carries a generator. */
      async later(n: number) {
        await sleep(1);
        return (async function* () {
          for (let i = 0; i < n; i++) yield `item ${i}`;
        })();
      },
      /** A hand-written async iterable, no generator. */
      custom(n: number): AsyncIterable<number> {
        return {
          [Symbol.asyncIterator]() {
            let i = 0;
            return { next: async () => (i < n ? { value: i++ * 2, done: false } : { value: undefined, done: true }) };
          },
        };
      },
      /** A Node web ReadableStream is async iterable too. */
      readable: () =>
        // Node's ReadableStream is async iterable; this tsconfig's DOM lib does not say so.
        new ReadableStream<string>({
          start(controller) {
            for (const chunk of ['a', 'b', 'c']) controller.enqueue(chunk);
            controller.close();
          },
        }) as unknown as AsyncIterable<string>,
      list: (n: number) => Array.from({ length: n }, (_, i) => i),
      add: (a: number, b: number) => a + b,
    },
  };
}

describe('streams', () => {
  it('for await over a remote generator yields every item in order', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    const items = await collect(remote.count(10_000));
    expect(items).toHaveLength(10_000);
    expect(items.every((value, i) => value === i)).toBe(true);
  });

  it('awaiting the call gives a RemoteIterator', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    const iterator = await remote.count(3);
    expect(iterator).toBeInstanceOf(RemoteIterator);
    expect(iterator[Symbol.asyncIterator]()).toBe(iterator);
    expect(await iterator.next()).toEqual({ value: 0, done: false });
    expect(await collect(iterator)).toEqual([1, 2]);
  });

  it('after the end, next() keeps answering done', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    const iterator = await remote.count(1);
    expect(await iterator.next()).toEqual({ value: 0, done: false });
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });

  it('an empty stream ends at once', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    expect(await collect(remote.empty())).toEqual([]);
  });

  it('items are structured-cloned, undefined and null included', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    expect(await collect(remote.values())).toEqual([
      { date: new Date(0), map: new Map([[1, 'one']]) },
      [1, [2, [3]]],
      undefined,
      null,
    ]);
  });

  it('a method whose promise resolves to an async iterable streams too', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    expect(await collect(remote.later(2))).toEqual(['item 0', 'item 1']);
  });

  it('any async iterable streams: a hand-written one, a ReadableStream', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    expect(await collect(remote.custom(3))).toEqual([0, 2, 4]);
    expect(await collect(remote.readable())).toEqual(['a', 'b', 'c']);
  });

  it('an array answer is a value, not a stream', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    expect(await remote.list(3)).toEqual([0, 1, 2]);
  });

  it('iterating a call that does not answer with a stream rejects with a TypeError', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    const error = await rejection(collect(remote.add(1, 2) as unknown as AsyncIterable<unknown>));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toContain('did not answer with a stream');
  });

  it('next() calls made without waiting resolve in order', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    const iterator = await remote.count(5);
    const results = await Promise.all(Array.from({ length: 7 }, () => iterator.next()));
    expect(results.map((r) => (r.done ? 'done' : r.value))).toEqual([0, 1, 2, 3, 4, 'done', 'done']);
  });

  it('concurrent streams on one peer do not mix', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers, { near: { window: 4 } });
    const lists = await Promise.all([50, 10, 30].map((n) => collect(remote.count(n))));
    expect(lists.map((list) => list.length)).toEqual([50, 10, 30]);
    lists.forEach((list) => expect(list.every((value, i) => value === i)).toBe(true));
  });

  it('the producer does not start until the consumer reads', async () => {
    const { handlers, state } = api();
    const { remote } = pair(handlers);
    const iterator = await remote.count(5);
    await sleep(20);
    expect(state.started).toBe(0);
    await iterator.next();
    expect(state.started).toBe(1);
    await iterator.return();
  });

  it('streams flow both ways: the answering side iterates a stream of the caller', async () => {
    const { handlers } = api();
    const { far } = pair(handlers, { near: { handlers } });
    expect(await collect(far.remote.count(4))).toEqual([0, 1, 2, 3]);
  });

  it('both sides hold nothing once a stream has ended', async () => {
    const { handlers } = api();
    const { remote, near, far } = pair(handlers);
    await collect(remote.count(300));
    await sleep(5);
    expect(near.stats).toMatchObject({ pending: 0, inboxes: 0 });
    expect(far.stats).toMatchObject({ incoming: 0, outboxes: 0 });
  });

  it('streams from a worker thread', async () => {
    const thread = worker('unit.worker');
    const near = createPeer<UnitWorkerApi>(thread);
    onCleanup(() => near.close());
    expect(await collect(near.remote.ticks(5, 1))).toEqual([0, 1, 2, 3, 4]);
  });
});

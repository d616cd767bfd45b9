import { afterEach, describe, expect, it } from 'vitest';
import { DataCloneError, MethodNotFoundError, RemoteError } from '../../src/index';
import { closeAll, eventually, pair, rejection, sleep } from './helpers';

afterEach(closeAll);

class FeedError extends Error {
  offset: number;
  constructor(message: string, offset: number, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FeedError';
    this.offset = offset;
    (this as unknown as { code: string }).code = 'E_FEED';
  }
}

function api() {
  const state = { finallyRan: 0, produced: 0 };
  return {
    state,
    handlers: {
      async *failAfter(items: number) {
        try {
          for (let i = 0; i < items; i++) {
            state.produced++;
            yield i;
          }
          throw new FeedError('feed broke', items, { cause: new Error('socket reset') });
        } finally {
          state.finallyRan++;
        }
      },
      async *failAtOnce() {
        throw new FeedError('no feed at all', 0);
      },
      async *throwValue(value: unknown) {
        yield 'first';
        throw value;
      },
      async *uncloneableAt(index: number) {
        try {
          for (let i = 0; ; i++) {
            state.produced++;
            yield i === index ? { fn: () => i } : i;
          }
        } finally {
          state.finallyRan++;
        }
      },
      /** Fails before it can return its stream. */
      refuses(): AsyncIterable<number> {
        throw new FeedError('refused to stream', -1);
      },
      add: (a: number, b: number) => a + b,
    },
  };
}

/** Reads every item until the stream ends or fails; returns the items and the failure. */
async function drain<T>(iterable: AsyncIterable<T>) {
  const items: T[] = [];
  try {
    for await (const item of iterable) items.push(item);
  } catch (error) {
    return { items, error: error as any };
  }
  return { items, error: undefined };
}

describe('stream errors', () => {
  it('every item before the error arrives, then the error', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    const { items, error } = await drain(remote.failAfter(300));
    expect(items).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(error).toBeInstanceOf(RemoteError);
  });

  it('the error has the same fidelity as a failed call: name, message, code, data, cause, stack', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    const { error } = await drain(remote.failAfter(2));
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({
      code: 'E_FEED',
      message: 'feed broke',
      remoteName: 'FeedError',
      remoteCode: 'E_FEED',
      data: { offset: 2 },
    });
    expect(error.cause).toBeInstanceOf(RemoteError);
    expect(error.cause.message).toBe('socket reset');
    expect(error.remoteStack).toContain('failAfter');
  });

  it('items buffered while the reader was paused are all read before the error', async () => {
    const { handlers, state } = api();
    const { remote } = pair(handlers);
    const iterator = await remote.failAfter(10);
    expect(await iterator.next()).toEqual({ value: 0, done: false });
    await eventually(() => state.finallyRan === 1); // producer already failed; the rest sits in the buffer
    await sleep(10);
    const { items, error } = await drain(iterator);
    expect(items).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(error).toBeInstanceOf(RemoteError);
  });

  it('every next() after the error rejects with the same error, whether the reader was waiting or the error was buffered', async () => {
    const { handlers, state } = api();
    const { remote } = pair(handlers);
    /** Calls next() `times` more times on a failed stream; each must reject, never resolve done. */
    const later = async (iterator: AsyncIterator<unknown>, times: number) => {
      const outcomes: unknown[] = [];
      for (let i = 0; i < times; i++) outcomes.push(await iterator.next().then((result) => ({ resolved: result }), (error) => error));
      return outcomes;
    };

    // The reader is waiting on next() when the error arrives.
    const waiting = await remote.failAfter(0);
    const first = await rejection(waiting.next());
    expect(first).toBeInstanceOf(RemoteError);
    const again = await later(waiting, 3);
    expect(again).toHaveLength(3);
    for (const outcome of again) expect(outcome).toBe(first);

    // The error arrived while the reader was paused: it is buffered behind the items.
    const paused = await remote.failAfter(3);
    expect(await paused.next()).toEqual({ value: 0, done: false });
    await eventually(() => state.finallyRan === 2);
    await sleep(10);
    expect(await paused.next()).toEqual({ value: 1, done: false });
    expect(await paused.next()).toEqual({ value: 2, done: false });
    const buffered = await rejection(paused.next());
    expect(buffered).toMatchObject({ name: 'RemoteError', message: 'feed broke', remoteName: 'FeedError' });
    const afterBuffered = await later(paused, 3);
    expect(afterBuffered).toHaveLength(3);
    for (const outcome of afterBuffered) expect(outcome).toBe(buffered);

    // A for await loop that failed leaves the iterator failed too.
    const looped = remote.failAfter(2);
    const { items, error } = await drain(looped);
    expect(items).toEqual([0, 1]);
    expect(error).toBeInstanceOf(RemoteError);
    expect(await later(await looped, 2)).toEqual([error, error]);
  });

  it('an error before the first item rejects the first next()', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    const { items, error } = await drain(remote.failAtOnce());
    expect(items).toEqual([]);
    expect(error).toMatchObject({ remoteName: 'FeedError', message: 'no feed at all' });
  });

  it('a thrown non-Error arrives as RemoteError carrying the value', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    const { items, error } = await drain(remote.throwValue({ reason: 'eof', at: 7 }));
    expect(items).toEqual(['first']);
    expect(error).toBeInstanceOf(RemoteError);
    expect(error.value).toEqual({ reason: 'eof', at: 7 });
  });

  it('a handler that throws instead of returning its stream fails the call with RemoteError', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    const { items, error } = await drain(remote.refuses());
    expect(items).toEqual([]);
    expect(error).toMatchObject({ name: 'RemoteError', remoteName: 'FeedError', message: 'refused to stream' });
    expect(await rejection(remote.refuses())).toBeInstanceOf(RemoteError);
  });

  it('an unknown stream method fails with MethodNotFoundError', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    const { error } = await drain(remote.$call('noStream' as never, [] as never) as AsyncIterable<unknown>);
    expect(error).toBeInstanceOf(MethodNotFoundError);
  });

  it('an uncloneable item: the items before it arrive, then DataCloneError (item), and the producer stops', async () => {
    const { handlers, state } = api();
    const { remote } = pair(handlers, { near: { window: 16 } });
    const { items, error } = await drain(remote.uncloneableAt(5));
    expect(items).toEqual([0, 1, 2, 3, 4]);
    expect(error).toBeInstanceOf(DataCloneError);
    expect(error).toMatchObject({ method: 'uncloneableAt', where: 'item' });
    await eventually(() => state.finallyRan === 1);
  });

  it('after a stream error, both sides hold nothing and the peer keeps working', async () => {
    const { handlers } = api();
    const { remote, near, far } = pair(handlers);
    await drain(remote.failAfter(50));
    await drain(remote.uncloneableAt(3));
    expect(await remote.add(2, 3)).toBe(5);
    await sleep(5);
    expect(near.stats).toMatchObject({ pending: 0, inboxes: 0 });
    expect(far.stats).toMatchObject({ incoming: 0, outboxes: 0 });
  });
});

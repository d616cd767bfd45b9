import { afterEach, describe, expect, it } from 'vitest';
import { AbortError, context, PeerClosedError, RemoteError, TimeoutError } from '../../src/index';
import { createPeer } from '../../src/node/index';
import { RemoteIterator } from '../../src/streams/RemoteIterator';
import type { UnitWorkerApi } from '../fixtures/unit.worker';
import { closeAll, collect, deferred, eventually, onCleanup, pair, rejection, sleep, tracked, worker } from './helpers';

afterEach(closeAll);

/** An endless upload that records how much it made and whether its `finally` ran. */
function endlessUpload(delayMs = 0) {
  const state = { produced: 0, finallyRan: false };
  async function* gen() {
    try {
      for (let i = 0; ; i++) {
        state.produced++;
        if (delayMs) await sleep(delayMs);
        yield i;
      }
    } finally {
      state.finallyRan = true;
    }
  }
  return { state, iterable: gen() };
}

/** The upload stopped for good: its finally ran and it makes nothing more. */
async function uploadStopped(state: { produced: number; finallyRan: boolean }) {
  await eventually(() => state.finallyRan, 2000, 'the upload finally');
  const produced = state.produced;
  await sleep(20);
  expect(state.produced).toBe(produced);
}

function api() {
  const seen = { argKinds: [] as string[], reading: false };
  const gate = deferred<string>();
  return {
    seen,
    gate,
    handlers: {
      async sum(values: AsyncIterable<number>) {
        seen.argKinds.push(values instanceof RemoteIterator ? 'RemoteIterator' : typeof values);
        let total = 0;
        for await (const value of values) total += value;
        return total;
      },
      async zip(label: string, left: AsyncIterable<number>, factor: number, right: AsyncIterable<string>) {
        const a = await collect(left);
        const b = await collect(right);
        return a.map((value, i) => `${label}:${value * factor}${b[i]}`);
      },
      async takeFirst(values: AsyncIterable<number>, n: number) {
        const taken: number[] = [];
        for await (const value of values) {
          taken.push(value);
          if (taken.length === n) break;
        }
        return taken;
      },
      /** Reads one item, then answers without reading on. */
      async peek(values: AsyncIterable<number>) {
        const iterator = values[Symbol.asyncIterator]();
        return (await iterator.next()).value;
      },
      async readThenThrow(values: AsyncIterable<number>) {
        for await (const value of values) if (value === 3) throw new Error('handler gave up');
      },
      /** Reads until told to answer; meanwhile the upload keeps flowing. */
      async readUntilGate(values: AsyncIterable<number>) {
        seen.reading = true;
        const done = gate.promise;
        void (async () => {
          try {
            for await (const _ of values) await sleep(1);
          } catch {
            // the call ended under it
          }
        })();
        return done;
      },
      /** Reads slowly forever; records how it was stopped. */
      async readForever(values: AsyncIterable<number>) {
        seen.reading = true;
        try {
          for await (const _ of values) await sleep(1);
          return 'ended';
        } catch (error) {
          seen.argKinds.push(`stopped by ${(error as Error).name}`);
          throw error;
        }
      },
      ignore: (_values: AsyncIterable<number>) => 'not read',
      async *double(values: AsyncIterable<number>) {
        for await (const value of values) yield value * 2;
      },
      /** Tells how the caller's upload failed. */
      async catchUploadError(values: AsyncIterable<number>) {
        const got: number[] = [];
        try {
          for await (const value of values) got.push(value);
          return { got, error: null };
        } catch (error) {
          const e = error as RemoteError;
          return { got, error: { name: e.name, message: e.message, remoteName: e.remoteName } };
        }
      },
      /** Uploads to the caller in turn, through the context. */
      async uploadBack(n: number) {
        const { remote } = context<{ sum(values: AsyncIterable<number>): Promise<number> }>();
        return remote.sum(tracked(n).iterable);
      },
      list: (values: number[]) => values.length,
    },
  };
}

describe('stream uploads (AsyncIterable arguments)', () => {
  it('the handler iterates an upload and gets every item in order, as a RemoteIterator', async () => {
    const { handlers, seen } = api();
    const { remote } = pair(handlers);
    const upload = tracked(1000);
    expect(await remote.sum(upload.iterable)).toBe((999 * 1000) / 2);
    expect(seen.argKinds).toEqual(['RemoteIterator']);
    expect(upload.state.finallyRan).toBe(true);
  });

  it('several uploads in one call keep their positions among plain arguments', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    async function* letters() {
      yield* ['a', 'b', 'c'];
    }
    expect(await remote.zip('z', tracked(3).iterable, 10, letters())).toEqual(['z:0a', 'z:10b', 'z:20c']);
  });

  it('an array argument is copied, not streamed', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    expect(await remote.list([1, 2, 3])).toBe(3);
  });

  it('a ReadableStream uploads like any async iterable', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    const stream = new ReadableStream<number>({
      start(controller) {
        for (const value of [5, 6, 7]) controller.enqueue(value);
        controller.close();
      },
    });
    // Node's ReadableStream is async iterable; this tsconfig's DOM lib does not say so.
    expect(await remote.sum(stream as unknown as AsyncIterable<number>)).toBe(18);
  });

  it('the upload stops when the handler breaks out of it', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    const upload = endlessUpload();
    expect(await remote.takeFirst(upload.iterable, 3)).toEqual([0, 1, 2]);
    await uploadStopped(upload.state);
  });

  it('the upload stops when the handler answers without reading it all', async () => {
    const { handlers } = api();
    const { remote, near, far } = pair(handlers);
    const upload = endlessUpload();
    expect(await remote.peek(upload.iterable)).toBe(0);
    await uploadStopped(upload.state);
    expect(near.stats.outboxes).toBe(0);
    expect(far.stats.inboxes).toBe(0);
  });

  it('the upload stops when the handler answers while still reading', async () => {
    const { handlers, seen, gate } = api();
    const { remote } = pair(handlers);
    const upload = endlessUpload(1);
    const call = remote.readUntilGate(upload.iterable);
    await eventually(() => seen.reading && upload.state.produced > 3);
    gate.resolve('answered');
    expect(await call).toBe('answered');
    await uploadStopped(upload.state);
  });

  it('the upload stops when the handler throws', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    const upload = endlessUpload();
    const error = await rejection(remote.readThenThrow(upload.iterable));
    expect(error).toMatchObject({ name: 'RemoteError', message: 'handler gave up' });
    await uploadStopped(upload.state);
  });

  it("an upload the handler never reads is never started", async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    const upload = endlessUpload();
    expect(await remote.ignore(upload.iterable)).toBe('not read');
    await sleep(20);
    expect(upload.state.produced).toBe(0);
  });

  it('the upload stops when the call times out, and the handler sees its upload abort', async () => {
    const { handlers, seen } = api();
    const { remote } = pair(handlers);
    const upload = endlessUpload(1);
    const error = await rejection(remote.$call('readForever', [upload.iterable], { timeout: 40 }));
    expect(error).toBeInstanceOf(TimeoutError);
    await uploadStopped(upload.state);
    await eventually(() => seen.argKinds.length === 1);
    expect(seen.argKinds).toEqual(['stopped by AbortError']);
  });

  it("the upload stops when the caller aborts the call's signal", async () => {
    const { handlers, seen } = api();
    const { remote } = pair(handlers);
    const upload = endlessUpload(1);
    const controller = new AbortController();
    const call = remote.$call('readForever', [upload.iterable], { signal: controller.signal });
    await eventually(() => seen.reading && upload.state.produced > 3);
    controller.abort();
    expect(await rejection(call)).toBeInstanceOf(AbortError);
    await uploadStopped(upload.state);
  });

  it('the upload stops when the peer closes', async () => {
    const { handlers, seen } = api();
    const { remote, near } = pair(handlers);
    const upload = endlessUpload(1);
    const call = remote.readForever(upload.iterable);
    await eventually(() => seen.reading && upload.state.produced > 3);
    near.close();
    expect(await rejection(call)).toBeInstanceOf(PeerClosedError);
    await uploadStopped(upload.state);
  });

  it("an upload that fails reaches the handler's loop as a RemoteError after its items", async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    async function* failing() {
      yield 1;
      yield 2;
      throw new RangeError('upload broke');
    }
    expect(await remote.catchUploadError(failing())).toEqual({
      got: [1, 2],
      error: { name: 'RemoteError', message: 'upload broke', remoteName: 'RangeError' },
    });
  });

  it('an upload feeding a stream answer lives as long as that stream, and stops when it is broken off', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    const upload = endlessUpload();
    const doubled: number[] = [];
    for await (const value of remote.double(upload.iterable)) {
      doubled.push(value);
      if (doubled.length === 5) break;
    }
    expect(doubled).toEqual([0, 2, 4, 6, 8]);
    await uploadStopped(upload.state);
  });

  it('a handler uploads back to its caller', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers, { near: { handlers } });
    expect(await remote.uploadBack(10)).toBe(45);
  });

  it('uploads to a worker thread', async () => {
    const thread = worker('unit.worker');
    const near = createPeer<UnitWorkerApi>(thread);
    onCleanup(() => near.close());
    expect(await near.remote.sum(tracked(500).iterable)).toBe((499 * 500) / 2);
  });
});

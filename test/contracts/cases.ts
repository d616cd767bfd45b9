import type { RemoteError } from '../../src/index';
import { transfer } from '../../src/index';
import { assert, assertEqual, eventually, rejects, sleep, type HarnessFactory } from './harness';

/**
 * The behaviours every transport must show. Each case gets a fresh harness from the factory and
 * throws on failure; runners (Vitest in Node, Playwright in Chromium) turn each into one test.
 */
export type ContractCase = (make: HarnessFactory) => Promise<void>;

/** An upload of `values` that records what it sent and whether its generator finished (its `finally` ran). */
async function upload(values: number[]) {
  const sent: number[] = [];
  const state = { finallyRan: false };
  async function* gen() {
    try {
      for (const value of values) {
        sent.push(value);
        yield value;
      }
    } finally {
      state.finallyRan = true;
    }
  }
  return { iterable: gen(), sent, state };
}

export const contractCases: Record<string, ContractCase> = {
  async 'request/response: typed calls answer with results'(make) {
    const h = await make();
    try {
      assertEqual(await h.peer.remote.add(2, 3), 5);
      assertEqual(await h.peer.remote.echo({ deep: [1, 'two', { three: 3 }] }), { deep: [1, 'two', { three: 3 }] });
      assertEqual(await h.peer.remote.math.mul(6, 7), 42, 'namespace');
      assertEqual(await h.peer.remote.counter.bump(2), 2, 'class instance');
      assertEqual(await h.peer.remote.counter.bump(3), 5, 'class instance keeps this');
      const results = await Promise.all(Array.from({ length: 500 }, (_, i) => h.peer.remote.add(i, i)));
      assert(results.every((value, i) => value === 2 * i), 'concurrent calls answer with their own results');
    } finally {
      await h.dispose();
    }
  },

  async 'notifications: arrive in order, no answer'(make) {
    const h = await make();
    try {
      for (let i = 0; i < 5; i++) h.peer.remote.$notify('note', i);
      assertEqual(await h.peer.remote.add(0, 0), 0);
      assertEqual((await h.peer.remote.state()).notes, [0, 1, 2, 3, 4]);
    } finally {
      await h.dispose();
    }
  },

  async 'calls back the caller through the handler context'(make) {
    const h = await make();
    try {
      assertEqual(await h.peer.remote.callBack('x'), 'far:near:x');
    } finally {
      await h.dispose();
    }
  },

  async 'errors: a thrown Error arrives as RemoteError with its details'(make) {
    const h = await make();
    try {
      const error: RemoteError = await rejects(h.peer.remote.fail('boom'), 'RemoteError');
      assertEqual(error.message, 'boom');
      assertEqual(error.remoteName, 'AppError');
      assertEqual(error.remoteCode, 'E_APP');
      assertEqual(error.data, { status: 418 });
      assert(String(error.remoteStack).includes('boom'), 'remote stack kept');
      const cause = error.cause as RemoteError;
      assertEqual([cause.remoteName, cause.message], ['RangeError', 'inner cause'], 'cause');
      const thrown: RemoteError = await rejects(h.peer.remote.throwValue({ reason: 42 }), 'RemoteError');
      assertEqual(thrown.value, { reason: 42 }, 'non-Error throw');
      assertEqual(await h.peer.remote.add(1, 1), 2, 'peer still works');
    } finally {
      await h.dispose();
    }
  },

  async 'errors: unknown and inherited method names are MethodNotFoundError'(make) {
    const h = await make();
    try {
      for (const name of ['nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'math.constructor', 'counter.constructor', 'math.nope']) {
        const error = await rejects(h.peer.remote.$call(name as never, [] as never), 'MethodNotFoundError');
        assertEqual(error.rpcCode, -32601);
      }
    } finally {
      await h.dispose();
    }
  },

  async 'errors: uncloneable argument, result and error are DataCloneError'(make) {
    const h = await make();
    try {
      const arg = await rejects(h.peer.remote.echo((() => 1) as never), 'DataCloneError');
      assertEqual([arg.method, arg.where], ['echo', 'argument']);
      const result = await rejects(h.peer.remote.uncloneableResult(), 'DataCloneError');
      assertEqual([result.method, result.where], ['uncloneableResult', 'result']);
      const thrown = await rejects(h.peer.remote.uncloneableError(), 'DataCloneError');
      assertEqual([thrown.method, thrown.where], ['uncloneableError', 'error']);
      assertEqual(await h.peer.remote.add(1, 2), 3, 'peer still works');
    } finally {
      await h.dispose();
    }
  },

  async 'timeouts: a call past its timeout rejects with TimeoutError and the handler is told'(make) {
    const h = await make();
    try {
      await h.peer.remote.add(0, 0); // connected, so the call below is sent before it times out
      const error = await rejects(h.peer.remote.$call('hang', ['t1'], { timeout: 50 }), 'TimeoutError');
      assertEqual([error.method, error.timeout], ['hang', 50]);
      await eventually(async () => (await h.peer.remote.state()).aborted.includes('t1'), 3000, 'handler abort');
      assertEqual(await h.peer.remote.$call('later', ['ok', 10], { timeout: 2000 }), 'ok', 'answer before timeout');
    } finally {
      await h.dispose();
    }
  },

  async 'cancellation: an AbortSignal rejects at once and aborts the handler'(make) {
    const h = await make();
    try {
      await h.peer.remote.add(0, 0); // connected, so the call below is sent before it is aborted
      const controller = new AbortController();
      const call = h.peer.remote.$call('hang', ['c1'], { signal: controller.signal });
      await sleep(20);
      controller.abort();
      await rejects(call, 'AbortError');
      await eventually(async () => (await h.peer.remote.state()).aborted.includes('c1'), 3000, 'handler abort');
      await rejects(h.peer.remote.$call('add', [1, 2], { signal: AbortSignal.abort() }), 'AbortError');
    } finally {
      await h.dispose();
    }
  },

  async 'transfer: buffers move both ways without a copy'(make) {
    const h = await make();
    try {
      const buffer = new ArrayBuffer(1024);
      assertEqual(await h.peer.remote.byteLength(transfer(buffer, [buffer])), 1024);
      assertEqual(buffer.byteLength, 0, 'sender side detached');
      const back = await h.peer.remote.makeBuffer(2048);
      assertEqual([back.byteLength, new Uint8Array(back)[0]], [2048, 7]);
      const viaOption = new ArrayBuffer(16);
      assertEqual(await h.peer.remote.$call('byteLength', [viaOption], { transfer: [viaOption] }), 16);
      assertEqual(viaOption.byteLength, 0, 'transfer option detaches');
    } finally {
      await h.dispose();
    }
  },

  async 'close: $close rejects pending calls with PeerClosedError, both sides'(make) {
    const h = await make();
    try {
      const pending = h.peer.remote.hang('x');
      await sleep(20);
      h.peer.remote.$close();
      await rejects(pending, 'PeerClosedError');
      await rejects(h.peer.remote.add(1, 2), 'PeerClosedError');
      assert(h.peer.closed, 'peer reports closed');
    } finally {
      await h.dispose();
    }
  },

  async 'close: the far side going away rejects pending calls with PeerClosedError'(make) {
    const h = await make({ heartbeat: 100 });
    try {
      const pending = h.peer.remote.hang('k');
      await sleep(20);
      await h.kill();
      await rejects(pending, 'PeerClosedError');
    } finally {
      await h.dispose();
    }
  },

  async 'hostile: foreign and malformed messages are ignored'(make) {
    const h = await make();
    try {
      const M = 'portwire:2';
      const junk: unknown[] = [
        null, 42, 'str', [], {}, [M], [M, 0, null], ['portwire:1', 0, 2, 1, 'add', [1, 2], 0], [M, 'other', 2, 1, 'add', [1, 2], 0],
        { portwire: 1, b: [[2, 1, 'add', [1, 2]]] }, [M, 0, 2, -1, 'add', [], 0, 2, 1.5, 'add', [], 0, 4, 123456, 'forged', 5, 999999, null],
        [M, 0, 9, 1, 'x', 12, 1, 1e9, 13, 77], [M, 0, 2, 1, 'add'], [M, 0, 99, 2, 1, 'add', [1, 2], 0], [M, 0, '__proto__', 1, 2],
      ];
      for (const data of junk) h.postRaw(data);
      await sleep(20);
      assertEqual(await h.peer.remote.add(20, 22), 42);
    } finally {
      await h.dispose();
    }
  },

  async 'streams: for await over a remote generator, in order'(make) {
    const h = await make();
    try {
      const seen: number[] = [];
      for await (const value of h.peer.remote.count(1000)) seen.push(value);
      assertEqual(seen.length, 1000);
      assert(seen.every((value, i) => value === i), 'items in order');
      const iterator = await h.peer.remote.count(3);
      const again: number[] = [];
      for await (const value of iterator) again.push(value);
      assertEqual(again, [0, 1, 2], 'awaited iterator');
      await eventually(async () => (await h.peer.remote.state()).finallyRan.includes('count:1000'), 3000, 'finally');
    } finally {
      await h.dispose();
    }
  },

  async 'streams: break stops the producer and runs its finally'(make) {
    const h = await make({ window: 8 });
    try {
      for await (const value of h.peer.remote.count(1_000_000)) if (value === 20) break;
      await eventually(async () => (await h.peer.remote.state()).finallyRan.includes('count:1000000'), 3000, 'finally');
      const { produced } = await h.peer.remote.state();
      assert(produced <= 21 + 8, `producer stayed within its window (produced ${produced})`);
    } finally {
      await h.dispose();
    }
  },

  async 'streams: an error arrives after the items before it'(make) {
    const h = await make();
    try {
      const seen: number[] = [];
      const error: RemoteError = await rejects(
        (async () => {
          for await (const value of h.peer.remote.failAfter(5, 'mid-stream')) seen.push(value);
        })(),
        'RemoteError',
      );
      assertEqual(seen, [0, 1, 2, 3, 4]);
      assertEqual([error.message, error.remoteCode], ['mid-stream', 'E_STREAM']);
    } finally {
      await h.dispose();
    }
  },

  async 'streams: uploads as arguments, both ways and chained'(make) {
    const h = await make();
    try {
      const a = await upload(Array.from({ length: 300 }, (_, i) => i));
      assertEqual(await h.peer.remote.sum(a.iterable), (299 * 300) / 2);
      const c = await upload([1, 2, 3]);
      const doubled: number[] = [];
      for await (const value of h.peer.remote.double(c.iterable)) doubled.push(value);
      assertEqual(doubled, [2, 4, 6]);
    } finally {
      await h.dispose();
    }
  },

  async 'streams: an upload stops when the handler returns: its generator is returned (finally runs) and makes nothing more'(make) {
    const h = await make();
    try {
      // The handler reads 3 items of an upload far longer than the window it grants (the far
      // side's default, 256), then returns. Flow control alone would leave the generator parked
      // at a yield for good; only the cancel its return sends ends the generator.
      const values = Array.from({ length: 100_000 }, (_, i) => i);
      const b = await upload(values);
      assertEqual(await h.peer.remote.takeFirst(b.iterable, 3), [0, 1, 2]);
      await eventually(() => b.state.finallyRan, 3000, "the upload generator's finally");
      const sent = b.sent.length;
      await sleep(50);
      assertEqual(b.sent.length, sent, 'items produced after the generator finished');
      assert(sent < values.length, `the upload ran to its end instead of being stopped (sent ${sent})`);
      assertEqual(await h.peer.remote.add(1, 1), 2, 'peer still works');
    } finally {
      await h.dispose();
    }
  },

  async 'streams: transferred items and concurrent streams do not mix'(make) {
    const h = await make();
    try {
      let bytes = 0;
      for await (const buffer of h.peer.remote.buffers(10, 4096)) bytes += buffer.byteLength;
      assertEqual(bytes, 40960);
      const lists = await Promise.all(
        [10, 20, 30, 40].map(async (n) => {
          const got: number[] = [];
          for await (const value of h.peer.remote.count(n)) got.push(value);
          return got;
        }),
      );
      lists.forEach((list, i) => assertEqual(list, Array.from({ length: (i + 1) * 10 }, (_, j) => j), `stream ${i}`));
    } finally {
      await h.dispose();
    }
  },

  async 'streams: closing the peer mid-stream rejects the reader and stops the producer'(make) {
    const h = await make({ window: 4 });
    try {
      const iterator = await h.peer.remote.count(1_000_000, 1);
      await iterator.next();
      h.peer.remote.$close();
      await rejects(iterator.next(), 'PeerClosedError');
    } finally {
      await h.dispose();
    }
  },
};

import { getEventListeners, setMaxListeners } from 'node:events';
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createPeer as createStructuralPeer, PeerClosedError, type Peer } from '../../src/index';
import { createPeer, expose } from '../../src/node/index';
import { createFixtureApi, type FixtureApi } from '../contracts/fixtureApi';
import { startWorker } from '../fixtures/nodeWorker';
import { activeTimers, EMPTY_STATS, sleep, waitFor } from './support';

// Leaks: a million calls and ten thousand abandoned streams leave nothing behind (pending entries,
// listeners, timers), abandoned readers release their producers through the FinalizationRegistry,
// and a closed peer keeps no listener on its endpoint.

const gc = (globalThis as { gc?: () => void }).gc;

/** Runs a full GC and lets finalization callbacks run, until `check` holds or `ms` pass. */
async function collectUntil(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    gc!();
    await sleep(20);
    if (check()) return true;
    if (Date.now() > until) return false;
  }
}

const heapMb = () => (process.memoryUsage().heapUsed / 2 ** 20).toFixed(1);

/** Counts of listeners a Node EventTarget/EventEmitter endpoint holds, by event type. */
function listeners(endpoint: MessagePort | Worker, types: string[]): Record<string, number> {
  return Object.fromEntries(types.map((type) => [type, endpoint.listenerCount(type)]));
}

function pair() {
  const { port1, port2 } = new MessageChannel();
  const api = createFixtureApi();
  const far = expose(api, port2);
  const near = createPeer<FixtureApi>(port1);
  return {
    api,
    far,
    near,
    port1,
    close() {
      near.close();
      far.close();
      port1.close();
    },
  };
}

describe('leaks', () => {
  it('global.gc is available (vite.config.ts test.execArgv: --expose-gc)', () => {
    expect(typeof gc).toBe('function');
  });

  it('1 000 000 calls in chunks leave no pending entry, listener or timer behind', async () => {
    const CHUNK = 10_000;
    const CHUNKS = 100;
    const timersBefore = activeTimers();
    const p = pair();
    // Calls of the AbortSignal chunks share a signal a hundred at a time, as a batch of calls
    // under one controller would. (All 10 000 on one signal also works, but Node's EventTarget
    // makes that quadratic: ~10× slower; see the report.)
    const signals = Array.from({ length: CHUNK / 100 }, () => new AbortController().signal);
    // One abort listener per pending call: past 10 on one signal Node warns of a possible leak.
    setMaxListeners(100, ...signals);
    try {
      expect(await p.near.remote.add(0, 0)).toBe(0);
      const messageListeners = listeners(p.port1, ['message', 'close']);
      gc!();
      const heapBefore = heapMb();
      const started = performance.now();
      let peakTimers = 0;
      for (let chunk = 0; chunk < CHUNKS; chunk++) {
        // Rotate through the three ways a call watches its deadline: the shared sweeper (peer
        // timeout), a timer of its own (per-call timeout) and an AbortSignal listener.
        const kind = chunk % 3;
        const calls = Array.from({ length: CHUNK }, (_, i) =>
          kind === 0
            ? p.near.remote.add(chunk, i)
            : kind === 1
              ? p.near.remote.$call('add', [chunk, i], { timeout: 60_000 })
              : p.near.remote.$call('add', [chunk, i], { signal: signals[i % signals.length]! }),
        );
        peakTimers = Math.max(peakTimers, activeTimers());
        const results = await Promise.all(calls);
        if (!results.every((value, i) => value === chunk + i)) throw new Error(`chunk ${chunk}: wrong answers`);
        if (chunk % 10 === 9) {
          expect({ chunk, near: p.near.stats, far: p.far.stats }).toEqual({ chunk, near: EMPTY_STATS, far: EMPTY_STATS });
        }
      }
      const ms = performance.now() - started;
      expect(p.near.stats).toEqual(EMPTY_STATS);
      expect(p.far.stats).toEqual(EMPTY_STATS);
      expect(signals.map((signal) => getEventListeners(signal, 'abort').length).filter((n) => n > 0), 'abort listeners left').toEqual([]);
      expect(listeners(p.port1, ['message', 'close'])).toEqual(messageListeners);
      expect(activeTimers(), 'timers left once every call answered').toBeLessThanOrEqual(timersBefore);
      gc!();
      console.log(
        `leaks: ${CHUNK * CHUNKS} calls in ${ms.toFixed(0)} ms (${Math.round((CHUNK * CHUNKS) / (ms / 1000))} calls/s, both peers ` +
          `in this thread); heap ${heapBefore} MB before, ${heapMb()} MB after GC; peak timers ${peakTimers} (baseline ${timersBefore})`,
      );
    } finally {
      p.close();
    }
  }, 60_000);

  it('10 000 opened-and-abandoned streams: the FinalizationRegistry releases readers and producers', async () => {
    const STREAMS = 10_000;
    const timersBefore = activeTimers();
    const p = pair();
    try {
      const messageListeners = listeners(p.port1, ['message', 'close']);
      // Half are read once (the producer has started and holds a window of items), half never read.
      const open = async (started: boolean) => {
        const iterator = (await p.near.remote.$call('count', [1_000_000_000], { window: 2 })) as AsyncIterator<number>;
        if (started) expect((await iterator.next()).value).toBe(0);
      };
      for (let i = 0; i < STREAMS; i += 1000) {
        await Promise.all(Array.from({ length: 1000 }, (_, k) => open(k % 2 === 0)));
      }
      expect(p.near.stats.inboxes, 'readers open before GC').toBe(STREAMS);
      expect(p.far.stats.outboxes, 'producers open before GC').toBe(STREAMS);
      const heapBefore = heapMb();
      const started = performance.now();
      const released = await collectUntil(() => p.near.stats.inboxes === 0 && p.far.stats.outboxes === 0, 15_000);
      const ms = performance.now() - started;
      const { finallyRan } = p.api.state();
      console.log(
        `leaks: ${STREAMS} abandoned streams released by GC in ${ms.toFixed(0)} ms ` +
          `(near inboxes ${p.near.stats.inboxes}, far outboxes ${p.far.stats.outboxes}, ${finallyRan.length} producer finally blocks ran); ` +
          `heap ${heapBefore} MB before, ${heapMb()} MB after`,
      );
      expect(released, 'every reader and producer released within 15 s of GC').toBe(true);
      expect(p.near.stats).toEqual(EMPTY_STATS);
      expect(p.far.stats).toEqual(EMPTY_STATS);
      // A generator that never started has no finally to run; every started one ran its own.
      expect(finallyRan.length).toBe(STREAMS / 2);
      expect(await p.near.remote.add(2, 2)).toBe(4);
      expect(listeners(p.port1, ['message', 'close'])).toEqual(messageListeners);
      expect(activeTimers(), 'timers left').toBeLessThanOrEqual(timersBefore);
    } finally {
      p.close();
    }
  }, 60_000);

  it('calls with uploads leave no upload, stream or pending entry behind, however they settle', async () => {
    const BATCH = 200;
    const reading = { count: 0 };
    const handlers = {
      /** Reads the whole upload. */
      async sum(values: AsyncIterable<number>) {
        let total = 0;
        for await (const value of values) total += value;
        return total;
      },
      /** Reads `n` items, then answers: the rest of the upload is cancelled. */
      async takeFirst(values: AsyncIterable<number>, n: number) {
        const taken: number[] = [];
        for await (const value of values) if (taken.push(value) === n) break;
        return taken;
      },
      /** Answers without reading the upload. */
      ignore: (_values: AsyncIterable<number>) => 'ignored',
      /** Reads `n` items, then throws. */
      async failAfter(values: AsyncIterable<number>, n: number) {
        let read = 0;
        for await (const _ of values) if (++read === n) throw new Error('the handler failed');
        return 'the upload ended first';
      },
      /** Reads slowly until the call ends under it (abort, timeout, close). */
      async readForever(values: AsyncIterable<number>) {
        reading.count++;
        for await (const _ of values) await sleep(1);
        return 'the upload ended';
      },
      /** A stream answer fed by the upload: the upload lives as long as the stream. */
      async *double(values: AsyncIterable<number>) {
        for await (const value of values) yield value * 2;
      },
    };
    type Api = typeof handlers;

    // Upload generators that are running (started and not yet finished): every one must end.
    const live = { open: 0 };
    async function* numbers(limit = Infinity, fault?: { at: number; kind: 'throw' | 'uncloneable' }) {
      live.open++;
      try {
        for (let i = 0; i < limit; i++) {
          if (fault?.at === i) {
            if (fault.kind === 'throw') throw new RangeError('the upload failed');
            yield { fn: () => i } as unknown as number;
          } else yield i;
        }
      } finally {
        live.open--;
      }
    }

    const { port1, port2 } = new MessageChannel();
    const far = expose(handlers, port2);
    const near = createPeer<Api>(port1);
    const closeLater: Array<() => void> = [];
    const name = (error: unknown) => (error instanceof Error ? error.name : `not an error: ${String(error)}`);
    /** Runs `BATCH` calls, each with an upload; returns how each settled (a value or an error name). */
    const batch = (call: (i: number) => Promise<unknown>) =>
      Promise.all(Array.from({ length: BATCH }, (_, i) => call(i).then((value) => ({ value }), (error: unknown) => ({ error: name(error) }))));
    const every = (outcome: unknown) => Array(BATCH).fill(outcome);

    /** Each way: the calls, how every one of them must settle, and the peers they ran on. */
    const ways: Record<string, () => Promise<{ outcomes: unknown[]; expected: unknown[]; peers?: { near: Peer; far: Peer } }>> = {
      'result: the upload read to its end': async () => ({
        outcomes: await batch(() => near.remote.sum(numbers(20))),
        expected: every({ value: 190 }),
      }),
      'result: the handler stops reading': async () => ({
        outcomes: await batch(() => near.remote.takeFirst(numbers(), 3)),
        expected: every({ value: [0, 1, 2] }),
      }),
      'result: the upload never read': async () => ({
        outcomes: await batch(() => near.remote.ignore(numbers())),
        expected: every({ value: 'ignored' }),
      }),
      'error thrown by the handler': async () => ({
        outcomes: await batch(() => near.remote.failAfter(numbers(), 3)),
        expected: every({ error: 'RemoteError' }),
      }),
      'error thrown by the upload': async () => ({
        outcomes: await batch(() => near.remote.sum(numbers(Infinity, { at: 5, kind: 'throw' }))),
        expected: every({ error: 'RemoteError' }),
      }),
      'an upload item that cannot be cloned': async () => ({
        outcomes: await batch(() => near.remote.sum(numbers(Infinity, { at: 2, kind: 'uncloneable' }))),
        expected: every({ error: 'DataCloneError' }),
      }),
      abort: async () => {
        reading.count = 0;
        const uploadsBefore = near.stats.uploads;
        const controller = new AbortController();
        const settled = batch(() => near.remote.$call('readForever', [numbers()], { signal: controller.signal }));
        expect(await waitFor(() => reading.count === BATCH, 5000), 'every handler is reading its upload').toBe(true);
        // While the calls are pending, the upload map holds one entry per call.
        expect(near.stats.uploads - uploadsBefore, 'uploads of pending calls').toBe(BATCH);
        controller.abort();
        return { outcomes: await settled, expected: every({ error: 'AbortError' }) };
      },
      timeout: async () => ({
        outcomes: await batch(() => near.remote.$call('readForever', [numbers()], { timeout: 50 })),
        expected: every({ error: 'TimeoutError' }),
      }),
      'stream result read to its end': async () => ({
        outcomes: await batch(async () => {
          const doubled: number[] = [];
          for await (const value of near.remote.double(numbers(10))) doubled.push(value);
          return doubled;
        }),
        expected: every({ value: [0, 2, 4, 6, 8, 10, 12, 14, 16, 18] }),
      }),
      'stream result broken off': async () => ({
        outcomes: await batch(async () => {
          const doubled: number[] = [];
          for await (const value of near.remote.double(numbers())) if (doubled.push(value) === 3) break;
          return doubled;
        }),
        expected: every({ value: [0, 2, 4] }),
      }),
      'the peer closed mid-call': async () => {
        // Its own pair of peers, since closing ends them.
        const ch = new MessageChannel();
        const farOfClosed = expose(handlers, ch.port2);
        const closing = createPeer<Api>(ch.port1);
        closeLater.push(() => {
          farOfClosed.close();
          ch.port1.close();
        });
        reading.count = 0;
        const settled = batch(() => closing.remote.readForever(numbers()));
        expect(await waitFor(() => reading.count === BATCH, 5000), 'every handler is reading its upload').toBe(true);
        expect(closing.stats.uploads, 'uploads of pending calls').toBe(BATCH);
        closing.close();
        return { outcomes: await settled, expected: every({ error: 'PeerClosedError' }), peers: { near: closing, far: farOfClosed } };
      },
    };

    const left: Record<string, unknown> = {};
    const clean = { near: EMPTY_STATS, far: EMPTY_STATS, runningUploads: 0 };
    try {
      expect(await near.remote.ignore(numbers(0))).toBe('ignored');
      for (const [way, run] of Object.entries(ways)) {
        const { outcomes, expected, peers = { near, far } } = await run();
        expect(outcomes, `${way}: how the calls settled`).toEqual(expected);
        // Cancels and ends are still on their way once the calls settle: wait for both sides to go idle.
        const now = () => ({ near: peers.near.stats, far: peers.far.stats, runningUploads: live.open });
        await waitFor(() => JSON.stringify(now()) === JSON.stringify(clean), 2000);
        left[way] = now();
      }
      expect(left, 'what each way of settling left behind').toEqual(Object.fromEntries(Object.keys(ways).map((way) => [way, clean])));
      expect(await near.remote.sum(numbers(3)), 'the peer still works').toBe(3);
    } finally {
      near.close();
      far.close();
      port1.close();
      for (const close of closeLater) close();
    }
  }, 60_000);

  describe('a closed peer keeps no listener on its endpoint', () => {
    const TYPES = ['message', 'close', 'messageerror'];

    it('portwire/node on a MessagePort: closed locally, by the other side, and by the port closing', async () => {
      for (const how of ['local close()', 'remote close()', 'port.close()'] as const) {
        const { port1, port2 } = new MessageChannel();
        const before = listeners(port1, TYPES);
        const near = createPeer(port1, { heartbeat: 60_000 });
        const far = createPeer<FixtureApi>(port2, { handlers: createFixtureApi() });
        await near.remote.add(1, 1);
        expect(listeners(port1, TYPES).message, `${how}: one 'message' listener while open`).toBe(1);
        if (how === 'local close()') near.close();
        else if (how === 'remote close()') far.close();
        else port2.close();
        expect(await waitFor(() => near.closed, 2000), `${how}: near closed`).toBe(true);
        expect(listeners(port1, TYPES), `${how}: listeners left on port1`).toEqual(before);
        far.close();
        port1.close();
      }
    });

    it('structural adapter on a MessagePort (addEventListener/removeEventListener counted)', async () => {
      for (const how of ['local close()', 'remote close()', 'port.close()'] as const) {
        const { port1, port2 } = new MessageChannel();
        const held = new Map<string, number>();
        const add = port1.addEventListener.bind(port1);
        const remove = port1.removeEventListener.bind(port1);
        // Count what the adapter adds and removes on this real port, by event type.
        Object.assign(port1, {
          addEventListener(type: string, listener: never, options?: never) {
            held.set(type, (held.get(type) ?? 0) + 1);
            return add(type, listener, options);
          },
          removeEventListener(type: string, listener: never, options?: never) {
            held.set(type, (held.get(type) ?? 0) - 1);
            return remove(type, listener, options);
          },
        });
        const near = createStructuralPeer(port1 as never, {});
        const far = createPeer<FixtureApi>(port2, { handlers: createFixtureApi() });
        await near.remote.add(1, 1);
        expect(held.get('message'), `${how}: one 'message' listener while open`).toBe(1);
        if (how === 'local close()') near.close();
        else if (how === 'remote close()') far.close();
        else port2.close();
        expect(await waitFor(() => near.closed, 2000), `${how}: near closed`).toBe(true);
        expect([...held].filter(([, count]) => count !== 0), `${how}: listeners left (added − removed)`).toEqual([]);
        expect(getEventListeners(port1 as never, 'message').length, `${how}: 'message' listeners on port1`).toBe(0);
        far.close();
        port1.close();
      }
    });

    it('portwire/node on a Worker: closed locally, by the worker, by the worker exiting, and by terminate()', async () => {
      const WORKER_TYPES = ['message', 'exit', 'error', 'online', 'messageerror'];
      // Each way names the fixture, what makes the peer close, the reason its PeerClosedError must
      // give (which tells who closed it), and the exit code the thread must have by the end
      // (undefined: still running).
      const ways = [
        { how: 'local close()', fixture: 'api.worker', reason: 'the peer was closed', exitCode: undefined },
        { how: "the worker's peer close()", fixture: 'api.worker', reason: 'the other side closed the peer', exitCode: undefined },
        { how: 'the worker exits by itself (process.exit(7))', fixture: 'dying.worker', reason: 'the worker exited', exitCode: 7 },
        { how: 'worker.terminate()', fixture: 'api.worker', reason: 'the worker exited', exitCode: 1 },
      ] as const;
      for (const { how, fixture, reason, exitCode } of ways) {
        const worker = startWorker(fixture);
        let exited: number | undefined;
        const onExit = (code: number) => void (exited = code);
        worker.on('exit', onExit);
        const before = listeners(worker, WORKER_TYPES);
        const near: Peer<FixtureApi> = createPeer<FixtureApi>(worker, {});
        expect(await near.remote.add(1, 1)).toBe(2);
        expect(listeners(worker, WORKER_TYPES).message, `${how}: one 'message' listener while open`).toBe(before.message! + 1);
        const pending =
          fixture === 'dying.worker'
            ? near.remote.$call('exitIn' as never, [20, 7] as never)
            : near.remote.hang('k');
        // Calls are answered in order: once this one answers, the call above is running over there.
        expect(await near.remote.add(2, 2)).toBe(4);
        if (how === 'local close()') near.close();
        else if (how === "the worker's peer close()") worker.postMessage({ closePeer: true });
        else if (how === 'worker.terminate()') await worker.terminate();
        const error = await Promise.race([
          pending.then(
            () => 'resolved',
            (e: unknown) => e,
          ),
          sleep(3000).then(() => 'still pending after 3 s'),
        ]);
        expect(error, `${how}: the pending call`).toBeInstanceOf(PeerClosedError);
        expect((error as Error).message, `${how}: who closed the peer`).toContain(reason);
        expect(await waitFor(() => near.closed, 2000), `${how}: near closed`).toBe(true);
        if (exitCode !== undefined) expect(await waitFor(() => exited !== undefined, 2000), `${how}: the thread exited`).toBe(true);
        expect(exited, `${how}: the thread's exit code`).toBe(exitCode);
        if (how === "the worker's peer close()") {
          // The thread is alive and its own peer is what closed: it still echoes raw messages.
          const echoed = new Promise((resolve) => worker.once('message', resolve));
          worker.postMessage({ echo: 'still running' });
          expect(await echoed).toBe('still running');
        }
        worker.off('exit', onExit);
        expect(listeners(worker, WORKER_TYPES), `${how}: listeners left on the Worker`).toEqual({ ...before, exit: before.exit! - 1 });
        await worker.terminate();
      }
    });

    it('a closed peer with a heartbeat keeps no timer', async () => {
      const before = activeTimers();
      const { port1, port2 } = new MessageChannel();
      const near = createPeer(port1, { heartbeat: 50 });
      const far = createPeer<FixtureApi>(port2, { handlers: createFixtureApi() });
      await near.remote.add(1, 1);
      expect(activeTimers()).toBeGreaterThan(before);
      near.close();
      far.close();
      port1.close();
      expect(activeTimers()).toBeLessThanOrEqual(before);
    });
  });
});

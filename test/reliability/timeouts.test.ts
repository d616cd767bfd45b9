import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARITY, FAIL, MARK, RESULT, STREAM } from '../../src/core/protocol';
import { AbortError, TimeoutError, type Peer } from '../../src/index';
import { createPeer, expose } from '../../src/node/index';
import { createTimingApi, type TimingApi } from '../fixtures/timingApi';
import { startWorker } from '../fixtures/nodeWorker';
import { activeTimers, EMPTY_STATS, sleep, waitFor, watchProcess } from './support';

// Timeouts: a timeout never fires once the result has arrived, and an answer that comes after a
// timeout or an abort is dropped without a sound.


/**
 * Watches the answers `endpoint` brings, before the peer does: it must be registered before the
 * peer's own listener, so it runs first for every message.
 */
function watchAnswers(endpoint: Worker | MessagePort) {
  const arrivals: Array<{ kind: number; id: number; value: unknown }> = [];
  const watcher = { arrivals, onResult: (_value: unknown) => {} };
  endpoint.on('message', (data: unknown) => {
    if (!Array.isArray(data) || data[0] !== MARK) return;
    // [MARK, channel, ...records]: walk the records by their sizes.
    for (let i = 2; i < data.length; ) {
      const kind = data[i] as number;
      if (kind === RESULT || kind === STREAM || kind === FAIL) {
        arrivals.push({ kind, id: data[i + 1], value: data[i + 2] });
        if (kind === RESULT) watcher.onResult(data[i + 2]);
      }
      i += (ARITY as readonly number[])[kind] ?? data.length;
    }
  });
  return watcher;
}

let worker: Worker;
let peer: Peer<TimingApi>;
let answers: ReturnType<typeof watchAnswers>;
const errors: unknown[] = [];
const guard = watchProcess();

beforeAll(async () => {
  worker = startWorker('timing.worker');
  answers = watchAnswers(worker);
  peer = createPeer<TimingApi>(worker, { timeout: 200, onError: (e) => void errors.push(e) });
  expect(await peer.remote.$call('blockThenAnswer', [0, 'ready'], { timeout: 5000 })).toBe('ready');
});

afterAll(async () => {
  guard.stop();
  peer.close();
  await worker.terminate();
});

/**
 * Makes `N` calls against a `timeout`, half on the peer's own timeout (one shared sweeper timer)
 * and half with a per-call timeout (a timer each), whose handlers answer after 0…timeout + 10 ms.
 * Transit and the handling of the whole batch shift where the deadline falls (more on a loaded
 * machine), so the delays cover the range evenly: whatever the shift, several calls a millisecond
 * answer right at their deadline. A result that reached this side while its call was
 * still pending must always win. Returns which calls resolved and which timed out.
 */
async function raceRound(near: Peer<TimingApi>, watcher: ReturnType<typeof watchAnswers>, timeout: number, N: number, round: number) {
  const timersBefore = activeTimers();
  const answerIn = (i: number) => Math.round((i * (timeout + 10)) / N);
  const settled = new Set<string>();
  const arrivedWhilePending = new Set<string>();
  const arrivedLate = new Set<string>();
  watcher.onResult = (value) => {
    if (typeof value === 'string') (settled.has(value) ? arrivedLate : arrivedWhilePending).add(value);
  };
  const outcomes = new Map<string, unknown>();
  const settledTwice: string[] = [];
  await Promise.all(
    Array.from({ length: N }, (_, i) => {
      // Tags are unique across rounds, so a late answer of an earlier round is never taken for this one's.
      const tag = `${round}:${i}`;
      const call =
        i % 2 === 0
          ? near.remote.answerAfter(tag, answerIn(i))
          : near.remote.$call('answerAfter', [tag, answerIn(i)], { timeout });
      const settle = (outcome: unknown) => {
        if (settled.has(tag)) settledTwice.push(tag);
        settled.add(tag);
        outcomes.set(tag, outcome);
      };
      return call.then(settle, settle);
    }),
  );
  // Answers still on their way (their calls timed out) have time to arrive and be dropped.
  await sleep(100);
  watcher.onResult = () => {};
  const resolved = [...outcomes].filter(([tag, value]) => value === tag).map(([tag]) => tag);
  const timedOut = [...outcomes].filter(([, value]) => value instanceof TimeoutError).map(([tag]) => tag);
  const abortedFar = new Set(await near.remote.$call('takeAborted', [], { timeout: 5000 }));

  expect(resolved.length + timedOut.length, 'every call resolved with its own tag or timed out').toBe(N);
  expect(settledTwice, 'calls that settled twice').toEqual([]);
  const lost = [...arrivedWhilePending].filter((tag) => outcomes.get(tag) !== tag);
  expect(lost, 'results that reached this side while their call was pending, yet the call timed out').toEqual([]);
  expect(resolved.filter((tag) => !arrivedWhilePending.has(tag)), 'resolved without its result on the wire').toEqual([]);
  // The far side is told of a timeout (it aborts the handler): a resolved call must never have been.
  expect(resolved.filter((tag) => abortedFar.has(tag)), 'calls aborted on the far side although they resolved here').toEqual([]);
  expect([guard.escaped, errors]).toEqual([[], []]);
  expect(near.stats).toEqual(EMPTY_STATS);
  expect(activeTimers(), 'timers left after every call settled').toBeLessThanOrEqual(timersBefore);
  const position = (tag: string) => answerIn(Number(tag.split(':')[1]));
  return {
    resolved: resolved.length,
    timedOut: timedOut.length,
    summary:
      `${resolved.length} resolved (answering after up to ${resolved.length ? Math.max(...resolved.map(position)) : '-'} ms), ` +
      `${timedOut.length} timed out (from ${timedOut.length ? Math.min(...timedOut.map(position)) : '-'} ms; ${abortedFar.size} ` +
      `aborted on the far side before answering, ${arrivedLate.size} answered anyway and were dropped on arrival)`,
  };
}

/**
 * The race is only shown when answers land on both sides of the deadline: some calls resolve and
 * some time out. A round where the machine stalled past the whole timeout (all time out) or
 * where no timeout fired (all resolve) says nothing about the race, so it is run again, up to
 * `ROUNDS` times; every round must still hold every invariant above.
 */
async function race(label: string, near: Peer<TimingApi>, watcher: ReturnType<typeof watchAnswers>, timeout: number, N: number) {
  const ROUNDS = 3;
  // The same load once, answering at once, warms both sides up.
  await Promise.all(Array.from({ length: N }, (_, i) => near.remote.$call('answerAfter', [`warm${i}`, 0], { timeout: 5000 })));
  const rounds: Array<{ resolved: number; timedOut: number; summary: string }> = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const outcome = await raceRound(near, watcher, timeout, N, round);
    rounds.push(outcome);
    if (outcome.resolved > 0 && outcome.timedOut > 0) break;
  }
  const report = rounds.map(({ summary }, i) => `round ${i + 1}: ${summary}`);
  console.log(`timeouts (${label}): ${N} calls answering after 0…${timeout + 10} ms against a ${timeout} ms timeout: ${report.join('; ')}`);
  expect(
    rounds.some(({ resolved, timedOut }) => resolved > 0 && timedOut > 0),
    `answers on both sides of the deadline (some resolved, some timed out) in one of ${ROUNDS} rounds:\n${report.join('\n')}`,
  ).toBe(true);
}

describe('timeouts', () => {
  it('a timeout never fires after the result has arrived: worker thread, 2 000 answers spread over a 200 ms timeout', async () => {
    await race('worker thread', peer, answers, 200, 2000);
  });

  it('a timeout never fires after the result has arrived: MessagePort in this thread, 1 000 answers spread over a 200 ms timeout', async () => {
    // Both sides share one event loop here, so the far side's answer timer and the near side's
    // timeout timer race in the same timer list.
    const { port1, port2 } = new MessageChannel();
    const far: Peer = expose(createTimingApi(() => far.stats), port2);
    const watcher = watchAnswers(port1);
    const near = createPeer<TimingApi>(port1, { timeout: 200, onError: (e) => void errors.push(e) });
    try {
      await race('MessagePort, one thread', near, watcher, 200, 1000);
      expect(far.stats).toEqual(EMPTY_STATS);
    } finally {
      near.close();
      far.close();
      port1.close();
    }
  });

  describe('an answer arriving after the caller gave up is dropped quietly', () => {
    /** Gives up on a call whose far side is blocked, waits for the answer to arrive anyway, and checks it left no trace. */
    async function lateAnswer(call: Promise<unknown>, expected: new (...args: never[]) => Error, kind: number) {
      const { arrivals } = answers;
      const before = arrivals.length;
      const error = await call.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(expected);
      const arrivedAfter = await waitFor(() => arrivals.slice(before).some((a) => a.kind === kind), 3000);
      expect(arrivedAfter, 'the late answer did reach this side').toBe(true);
      await sleep(20);
      expect([guard.escaped, errors]).toEqual([[], []]);
      expect(peer.stats).toEqual(EMPTY_STATS);
      const far = await peer.remote.$call('stats', [], { timeout: 5000 });
      // The `stats` handler answers synchronously, so not even its own call is tracked.
      expect(far, 'far side stats').toEqual(EMPTY_STATS);
      expect(await peer.remote.$call('blockThenAnswer', [0, 'next'], { timeout: 5000 })).toBe('next');
    }

    it('a result after a timeout', async () => {
      await lateAnswer(peer.remote.$call('blockThenAnswer', [150, 'late'], { timeout: 30 }), TimeoutError, RESULT);
    });

    it('a result after the peer timeout (shared sweeper)', async () => {
      // The peer's own timeout is 200 ms.
      await lateAnswer(peer.remote.blockThenAnswer(300, 'late'), TimeoutError, RESULT);
    });

    it('a result after an abort', async () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 30);
      await lateAnswer(peer.remote.$call('blockThenAnswer', [150, 'late'], { signal: controller.signal, timeout: 0 }), AbortError, RESULT);
    });

    it('a failure after a timeout', async () => {
      await lateAnswer(peer.remote.$call('blockThenFail', [150, 'late'], { timeout: 30 }), TimeoutError, FAIL);
    });

    it('a stream answer after a timeout: the late stream is cancelled, its producer released', async () => {
      await lateAnswer(peer.remote.$call('blockThenStream', [150, 5], { timeout: 30 }), TimeoutError, STREAM);
    });

    it('a stream answer after an abort', async () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 30);
      await lateAnswer(peer.remote.$call('blockThenStream', [150, 5], { signal: controller.signal, timeout: 0 }), AbortError, STREAM);
    });
  });
});

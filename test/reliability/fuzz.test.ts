import fc from 'fast-check';
import { MessageChannel } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { createPeer, MethodNotFoundError, type Peer, type RemoteIterator } from '../../src/index';
import { createPeer as createNodePeer } from '../../src/node/index';
import { EMPTY_STATS, sleep, watchProcess } from './support';

// Hostile input: random, malformed, truncated, wrong-version, wrong-channel and forged messages
// posted raw onto both ends of a real MessageChannel, while two pairs of live peers (the unnamed
// channel and 'side') share it and hold real calls and streams open.
//
// The wire format is spelled out here rather than imported, so the test states it on its own:
// envelope { portwire: 1, ch?, b: [messages] }; a message is a tuple whose first entry is its kind.
const HELLO = 0, READY = 1, CALL = 2, NOTIFY = 3, RESULT = 4, FAIL = 5, ABORT = 6, CLOSE = 7;
const STREAM = 8, ITEMS = 9, END = 10, ERROR = 11, PULL = 12, CANCEL = 13, PING = 14;

/** Ids real calls and streams hold during the fuzz are below this; forged on-channel ids are above. */
const FORGED = 1_000_000;
const SIDE = 'side';
const RUNS = 600;
const HANDLER_NAMES = new Set(['ok', 'hit', 'probe', 'park', 'stream']);
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__'];

// ── the oracle: what the wire format says a peer on `channel` must accept ──────────────────────

const isId = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

function isStreamList(list: unknown, argc: number): boolean {
  if (!Array.isArray(list) || list.length === 0 || list.length % 2 !== 0) return false;
  const indices = new Set<unknown>();
  const ids = new Set<unknown>();
  for (let i = 0; i < list.length; i += 2) {
    const at = list[i];
    const id = list[i + 1];
    if (!Number.isInteger(at) || (at as number) < 0 || (at as number) >= argc || !isId(id)) return false;
    if (indices.has(at) || ids.has(id)) return false;
    indices.add(at);
    ids.add(id);
  }
  return true;
}

/** The method `m` calls when it is a well-formed call or notification; undefined otherwise. */
function calledMethod(m: unknown): { method: string; notify: boolean } | undefined {
  if (!Array.isArray(m)) return undefined;
  if (m[0] === CALL && isId(m[1]) && typeof m[2] === 'string' && Array.isArray(m[3])) {
    if (m[4] === undefined || isStreamList(m[4], m[3].length)) return { method: m[2], notify: false };
  }
  // Notifications never carry uploads (nothing would end them): one with a stream list is malformed.
  if (m[0] === NOTIFY && typeof m[1] === 'string' && Array.isArray(m[2]) && m[3] === undefined) {
    return { method: m[1], notify: true };
  }
  return undefined;
}

/** The batch `data` hands a peer on `channel`, or undefined when that peer must ignore it. */
function batchFor(data: unknown, channel: string | undefined): unknown[] | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const env = data as Record<string, unknown>;
  return env.portwire === 1 && env.ch === channel && Array.isArray(env.b) ? env.b : undefined;
}

const away = (v: unknown): unknown => (Number.isInteger(v) && (v as number) >= 1 && (v as number) < FORGED ? (v as number) + FORGED : v);
let nextFreshStream = 3 * FORGED;

/**
 * Makes an accepted batch safe to post without forging what the test itself relies on: drops CLOSE
 * (it would end the peers; the contract suite covers it) and well-formed calls of the sentinel
 * `hit`, and moves ids out of the range real calls and streams use (a forged answer on the right
 * channel is indistinguishable from a real one; that is what channels are not for). Stream ids of
 * calls and notifications become fresh ones: a call naming a stream already being read is dropped
 * whole by design (tested on its own below), which the oracle would otherwise have to track.
 */
function tame(batch: unknown[]): void {
  for (let i = batch.length - 1; i >= 0; i--) {
    const m = batch[i];
    if (!Array.isArray(m)) continue;
    if (m.length > 1) m[1] = away(m[1]);
    if (m.length > 2) m[2] = away(m[2]);
    const streams = m[0] === CALL ? m[4] : m[0] === NOTIFY ? m[3] : undefined;
    if (Array.isArray(streams)) {
      // Fresh ids, but equal ids stay equal: a list naming one stream twice must stay malformed.
      const fresh = new Map<unknown, number>();
      for (let k = 1; k < streams.length; k += 2) {
        if (!isId(streams[k])) continue;
        if (!fresh.has(streams[k])) fresh.set(streams[k], nextFreshStream++);
        streams[k] = fresh.get(streams[k]);
      }
    }
    if (m[0] === CLOSE || calledMethod(m)?.method === 'hit') batch.splice(i, 1);
  }
}

// ── generators ──────────────────────────────────────────────────────────────────────────────

const withOwn = <T extends object>(target: T, key: string, value: unknown): T =>
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });

const anything = fc.anything({
  maxDepth: 2,
  maxKeys: 4,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
});

/** Objects whose own keys are prototype names (`__proto__` as a real own key, as JSON.parse makes it). */
const protoKeyed = fc
  .tuple(fc.subarray(PROTO_KEYS, { minLength: 1 }), fc.array(anything, { maxLength: 7 }))
  .map(([keys, values]) => {
    const target = {};
    keys.forEach((key, i) => withOwn(target, key, i < values.length ? values[i] : { polluted: true }));
    return target;
  });

const cyclic: Record<string, unknown> = { n: 'Error', m: 'a cause that is itself' };
cyclic.x = cyclic;
let deep: Record<string, unknown> = { n: 'Error', m: 'bottom' };
for (let i = 0; i < 64; i++) deep = { n: 'Error', m: `level ${i}`, x: deep };

const realId = fc.integer({ min: 1, max: 48 });
const forgedId = fc.integer({ min: FORGED, max: 2 * FORGED });
const edgeId = fc.constantFrom(Number.MAX_SAFE_INTEGER, 2 ** 31 - 1, 2 ** 31, 2 ** 32);
const goodId = fc.oneof({ weight: 4, arbitrary: realId }, { weight: 2, arbitrary: forgedId }, { weight: 1, arbitrary: edgeId });
const badId = fc.oneof(
  fc.constantFrom<unknown>(0, -0, -1, 0.5, 1.5, NaN, Infinity, -Infinity, 2 ** 53, 2 ** 53 + 2, 1e300, -(2 ** 53), '1', '', null, undefined, true, [], [1], {}),
  fc.integer({ max: 0 }),
  fc.double({ noInteger: true }),
  fc.string({ maxLength: 4 }),
  fc.bigInt(),
);
const anyId = fc.oneof({ weight: 5, arbitrary: goodId }, { weight: 3, arbitrary: badId });

const trickyName = fc.constantFrom(
  '__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__',
  '__lookupGetter__', 'constructor.prototype', '__proto__.polluted', 'ok.call', 'ok.constructor', 'ok.__proto__',
  'toString.call', 'then', '', '.', 'ok.', '.ok', 'ok..ok', 'OK', 'ok ',
);
const method = fc.oneof(
  { weight: 3, arbitrary: fc.constant('ok') },
  { weight: 2, arbitrary: trickyName },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }).filter((name) => !HANDLER_NAMES.has(name)) },
);

const args = fc.array(anything, { maxLength: 3 });
const someArgs = fc.array(anything, { minLength: 1, maxLength: 3 });
/** Arguments with a valid [argIndex, streamId, …] list over some of them. */
const argsWithStreams = someArgs.chain((list) =>
  fc
    .tuple(
      fc.constant(list),
      fc.subarray([...list.keys()], { minLength: 1 }),
      fc.uniqueArray(fc.oneof(realId, forgedId), { minLength: list.length, maxLength: list.length }),
    )
    .map(([values, indices, ids]) => [values, indices.flatMap((at, k) => [at, ids[k]])] as const),
);
/** Stream lists that are wrong for `argc` arguments (argc ≥ 1). */
const badStreams = (argc: number) =>
  fc.constantFrom<unknown>(
    null, [], [0], 'x', {}, [0, 1, 0, 2], [argc, 1], [-1, 1], [0, 0], [0, -5], [0.5, 1], ['0', 1], [0, 7, 1, 7],
    [0, 2 ** 53], [0, NaN], { 0: 0, 1: 1, length: 2 }, [0, 1, 2], [0, '1'],
  );
const badString = fc.constantFrom<unknown>(null, undefined, 1, 0, ['hit'], new String('hit'), { toString: 'hit' }, true);
const badArgs = fc.oneof(
  fc.constantFrom<unknown>(null, undefined, 'hit', 1, {}, { 0: 1, length: 1 }, new Uint8Array(2), new Map([[0, 1]]), new Set([1])),
  fc.string({ maxLength: 3 }),
  protoKeyed,
);
const badKind = fc.constantFrom<unknown>(-2, 2.5, '2', '3', null, undefined, NaN, 2n, [2], 15, 99, new Number(2), Infinity);

const wireError = fc.oneof(
  anything,
  protoKeyed,
  fc.constantFrom<unknown>(cyclic, deep),
  fc.record(
    {
      n: anything,
      m: anything,
      s: anything,
      c: anything,
      d: fc.oneof(anything, protoKeyed),
      x: fc.oneof(anything, protoKeyed),
      v: anything,
      nv: fc.constantFrom<unknown>(1, 0, '1'),
      p: fc.constantFrom<unknown>('METHOD_NOT_FOUND', 'DATA_CLONE', 'x', '__proto__', 1),
      w: fc.constantFrom<unknown>('argument', 'result', 'item', 'error', 'notification', '__proto__', 5),
    },
    { requiredKeys: [] },
  ),
);

type Msg = unknown[];
const msg = <T extends readonly unknown[]>(arb: fc.Arbitrary<T>): fc.Arbitrary<Msg> => arb.map((m) => [...m]);

/** Messages of every kind, shaped as the protocol defines them (their ids may still be bad). */
const shaped: fc.Arbitrary<Msg> = fc.oneof(
  msg(fc.constantFrom([HELLO], [READY], [PING], [CLOSE])),
  msg(fc.tuple(fc.constant(CALL), anyId, method, args)),
  msg(fc.tuple(fc.constant(CALL), anyId, method, argsWithStreams).map(([k, id, name, [a, s]]) => [k, id, name, a, s] as const)),
  msg(fc.tuple(fc.constant(NOTIFY), method, args)),
  msg(fc.tuple(fc.constant(NOTIFY), method, argsWithStreams).map(([k, name, [a, s]]) => [k, name, a, s] as const)),
  msg(fc.tuple(fc.constant(RESULT), anyId, anything)),
  msg(fc.tuple(fc.constant(FAIL), anyId, wireError)),
  msg(fc.tuple(fc.constant(ABORT), anyId)),
  msg(fc.tuple(fc.constant(STREAM), anyId, anyId)),
  msg(fc.tuple(fc.constant(ITEMS), anyId, fc.array(anything, { maxLength: 4 }))),
  msg(fc.tuple(fc.constant(END), anyId)),
  msg(fc.tuple(fc.constant(ERROR), anyId, wireError)),
  msg(fc.tuple(fc.constant(PULL), anyId, fc.oneof(anyId, fc.constant(1e9)))),
  msg(fc.tuple(fc.constant(CANCEL), anyId)),
);

/** Well-formed calls and notifications of `ok`, the method hostile input may legitimately reach. */
const okCall: fc.Arbitrary<Msg> = fc.oneof(
  msg(fc.tuple(fc.constant(CALL), goodId, fc.constant('ok'), args)),
  msg(fc.tuple(fc.constant(CALL), goodId, fc.constant('ok'), argsWithStreams).map(([k, id, n, [a, s]]) => [k, id, n, a, s] as const)),
  msg(fc.tuple(fc.constant(NOTIFY), fc.constant('ok'), args)),
);

/** Well-formed calls of the sentinel `hit`: posted only where nobody may accept them (tame drops the rest). */
const validHit: fc.Arbitrary<Msg> = fc.oneof(
  msg(fc.tuple(fc.constant(CALL), goodId, fc.constant('hit'), args)),
  msg(fc.tuple(fc.constant(NOTIFY), fc.constant('hit'), args)),
);

/** Calls and notifications of `hit` that are wrong in exactly the ways a guard must catch. */
const malformedHit: fc.Arbitrary<unknown> = fc.oneof(
  msg(fc.tuple(fc.constant(CALL), badId, fc.constant('hit'), args)),
  msg(fc.tuple(fc.constant(CALL), goodId, badString, args)),
  msg(fc.tuple(fc.constant(CALL), goodId, fc.constant('hit'), badArgs)),
  msg(someArgs.chain((a) => fc.tuple(fc.constant(CALL), goodId, fc.constant('hit'), fc.constant(a), badStreams(a.length)))),
  msg(fc.tuple(badKind, goodId, fc.constant('hit'), args)),
  msg(fc.tuple(fc.constant(CALL), goodId, fc.constant('hit'))),
  msg(fc.tuple(fc.constant(CALL), goodId)),
  msg(fc.tuple(fc.constant(NOTIFY), badString, args)),
  msg(fc.tuple(fc.constant(NOTIFY), fc.constant('hit'), badArgs)),
  msg(someArgs.chain((a) => fc.tuple(fc.constant(NOTIFY), fc.constant('hit'), fc.constant(a), badStreams(a.length)))),
  msg(fc.tuple(fc.constant(NOTIFY), goodId, fc.constant('hit'), args)),
  msg(fc.tuple(forgedId, fc.constant('hit'), args)),
  fc.tuple(goodId, args).map(([id, a]) => ({ 0: CALL, 1: id, 2: 'hit', 3: a, length: 4 })),
  fc.tuple(goodId, args).map(([id, a]) => withOwn({ 0: CALL, 1: id, 2: 'hit', 3: a }, '__proto__', Array.prototype)),
);

/** A shaped message with one field replaced, cut short, extended or turned into a hole. */
const mutated: fc.Arbitrary<Msg> = fc
  .tuple(shaped, fc.nat(6), anything, fc.constantFrom('replace', 'truncate', 'append', 'hole'))
  .map(([m, at, value, how]) => {
    const copy = m.slice();
    if (how === 'replace') copy[at % (copy.length + 1)] = value;
    else if (how === 'truncate') copy.length = at % copy.length;
    else if (how === 'append') copy.push(value);
    else delete copy[at % copy.length];
    return copy;
  });

/**
 * A shaped message that also carries prototype names as own keys. (Not `constructor`: an array with
 * an own `constructor` breaks Array.prototype.map, which fast-check's reporter itself relies on.)
 */
const protoDecorated = fc
  .tuple(shaped, fc.subarray(PROTO_KEYS.filter((key) => key !== 'constructor'), { minLength: 1 }), anything)
  .map(([m, keys, value]) => keys.reduce((target, key) => withOwn(target, key, value), m));

const message: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: shaped },
  { weight: 2, arbitrary: okCall },
  { weight: 1, arbitrary: validHit },
  { weight: 3, arbitrary: malformedHit },
  { weight: 3, arbitrary: mutated },
  { weight: 1, arbitrary: protoDecorated },
  { weight: 1, arbitrary: anything },
);

const ABSENT = Symbol('absent');
const envelope = fc
  .record({
    version: fc.oneof(
      { weight: 8, arbitrary: fc.constant<unknown>(1) },
      { weight: 2, arbitrary: fc.constantFrom<unknown>(ABSENT, 0, 2, '1', 1.5, true, null, [1], -1, 1n, new Number(1)) },
    ),
    channel: fc.oneof(
      { weight: 5, arbitrary: fc.constant<unknown>(ABSENT) },
      { weight: 4, arbitrary: fc.constant<unknown>(SIDE) },
      {
        weight: 3,
        arbitrary: fc.constantFrom<unknown>(undefined, null, '', 'other', 'Side', 'side ', 0, false, ['side'], {}, new String('side')),
      },
    ),
    batch: fc.oneof(
      { weight: 14, arbitrary: fc.array(message, { maxLength: 120, size: 'max' }) },
      { weight: 1, arbitrary: fc.constantFrom<unknown>(ABSENT, null, 'b', 1, {}, new Map()) },
      { weight: 1, arbitrary: fc.array(message, { maxLength: 4 }).map((list) => ({ ...list, length: list.length })) },
    ),
    extra: fc.subarray(PROTO_KEYS),
    extraValue: anything,
  })
  .map(({ version, channel, batch, extra, extraValue }) => {
    const env: Record<string, unknown> = {};
    for (const key of extra.slice(0, 2)) withOwn(env, key, extraValue);
    if (version !== ABSENT) env.portwire = version;
    if (channel !== ABSENT) withOwn(env, 'ch', channel);
    if (batch !== ABSENT) env.b = batch;
    for (const key of extra.slice(2)) withOwn(env, key, extraValue);
    return env;
  });

const post = fc.record({
  to: fc.constantFrom('AC', 'BD'),
  data: fc.oneof(
    { weight: 10, arbitrary: envelope as fc.Arbitrary<unknown> },
    { weight: 1, arbitrary: anything },
    { weight: 1, arbitrary: fc.array(message, { maxLength: 8 }) },
    { weight: 1, arbitrary: protoKeyed },
  ),
});

// ── the live peers ──────────────────────────────────────────────────────────────────────────

function makeSide(name: string) {
  const counts = { ok: 0, hit: 0, probe: 0, park: 0 };
  const errors: unknown[] = [];
  const release = new Map<string, () => void>();
  const handlers = {
    ok: () => {
      counts.ok++;
      return 'ok';
    },
    hit: () => {
      counts.hit++;
      return 'hit';
    },
    probe: (n: number) => {
      counts.probe++;
      return `${name}:${n}`;
    },
    park: (key: string) => {
      counts.park++;
      return new Promise<string>((resolve) => release.set(key, () => resolve(key)));
    },
    async *stream(key: string, n: number) {
      for (let i = 0; i < n; i++) yield `${key}:${i}`;
    },
  };
  return { name, counts, errors, release, handlers, onError: (error: unknown) => void errors.push(error) };
}
type Side = ReturnType<typeof makeSide>;
type Handlers = Side['handlers'];

const { port1, port2 } = new MessageChannel();
const sides = { A: makeSide('A'), B: makeSide('B'), C: makeSide('C'), D: makeSide('D') };
// A and C (port1) beat (at an interval that never elapses here): a peer that beats never answers a
// PING, so a forged PING costs one reply at most. Between two peers that do not beat, see the last
// test of this file.
const common = { timeout: 0, window: 4 };
const peers: Record<keyof typeof sides, Peer<Handlers>> = {
  A: createPeer<Handlers>(port1 as never, { ...common, handlers: sides.A.handlers, onError: sides.A.onError, heartbeat: 60_000 }),
  B: createPeer<Handlers>(port2 as never, { ...common, handlers: sides.B.handlers, onError: sides.B.onError }),
  C: createNodePeer<Handlers>(port1, { ...common, channel: SIDE, handlers: sides.C.handlers, onError: sides.C.onError, heartbeat: 60_000 }),
  D: createNodePeer<Handlers>(port2, { ...common, channel: SIDE, handlers: sides.D.handlers, onError: sides.D.onError }),
};
/** Who hears raw data posted on each port: A ↔ B talk on the unnamed channel, C ↔ D on 'side'. */
const recipients = { AC: [['A', undefined], ['C', SIDE]], BD: [['B', undefined], ['D', SIDE]] } as const;

/** Calls each peer keeps open through the fuzz, and whether any settled before it was released. */
let releasing = false;
const parked: Array<{ peer: keyof typeof sides; key: string; promise: Promise<string>; early: boolean }> = [];
const streams: Record<string, RemoteIterator<string>> = {};
const protoBefore = Object.getOwnPropertyNames(Object.prototype).sort();
const guard = watchProcess();
const totals = { messages: 0, posts: 0, accepted: 0, okRuns: 0, hitsOffChannel: 0, unknownNotifies: 0 };

afterAll(() => {
  guard.stop();
  for (const peer of Object.values(peers)) peer.close();
  port1.close();
});

async function probeAll(n: number): Promise<void> {
  const answers = await Promise.all((['A', 'B', 'C', 'D'] as const).map((name) => peers[name].remote.probe(n)));
  expect(answers).toEqual([`B:${n}`, `A:${n}`, `D:${n}`, `C:${n}`]);
}

describe('hostile input: fuzzed messages at live peers on a MessageChannel', () => {
  it('the malformed generators only make messages the wire format rejects', () => {
    fc.assert(fc.property(malformedHit, (m) => calledMethod(structuredClone(m)) === undefined), { numRuns: 2000 });
    fc.assert(fc.property(validHit, (m) => calledMethod(structuredClone(m))?.method === 'hit'), { numRuns: 200 });
  });

  it('ignores what it must, answers what it may, and lets nothing escape (≥ 100 000 messages)', async () => {
    // Real traffic to forge against: ten parked calls each way on both channels (ids 1…10 on every
    // peer, so the same ids are pending on two channels at once) and a half-read stream per pair.
    for (const name of ['A', 'B', 'C', 'D'] as const) {
      for (let i = 0; i < 10; i++) {
        const entry = { peer: name, key: `${name}${i}`, promise: peers[name].remote.park(`${name}${i}`), early: false };
        const settled = () => void (entry.early = !releasing);
        entry.promise.then(settled, settled);
        parked.push(entry);
      }
    }
    for (const name of ['A', 'C'] as const) {
      const iterator = await peers[name].remote.stream(`S${name}`, 100);
      expect([(await iterator.next()).value, (await iterator.next()).value]).toEqual([`S${name}:0`, `S${name}:1`]);
      streams[name] = iterator;
    }
    await probeAll(0);
    for (const name of ['A', 'B', 'C', 'D'] as const) expect(sides[name].release.size).toBe(10);

    let round = 0;
    const property = fc.asyncProperty(fc.array(post, { minLength: 1, maxLength: 10 }), async (posts) => {
      const expected = { A: { ok: 0, unknown: 0 }, B: { ok: 0, unknown: 0 }, C: { ok: 0, unknown: 0 }, D: { ok: 0, unknown: 0 } };
      const before = Object.fromEntries(
        Object.entries(sides).map(([name, side]) => [name, { ...side.counts, errors: side.errors.length }]),
      ) as Record<keyof typeof sides, Side['counts'] & { errors: number }>;
      for (const { to, data: generated } of posts) {
        // What arrives is a structured clone: judge and post exactly that.
        const data = structuredClone(generated);
        const accepted = batchFor(data, undefined) ?? batchFor(data, SIDE);
        if (accepted) {
          tame(accepted);
          totals.accepted++;
        }
        for (const [name, channel] of recipients[to]) {
          const batch = batchFor(data, channel);
          for (const m of batch ?? []) {
            const called = calledMethod(m);
            if (!called) continue;
            if (called.method === 'ok') expected[name].ok++;
            else if (called.notify) expected[name].unknown++;
          }
        }
        const b = typeof data === 'object' && data !== null ? (data as { b?: unknown }).b : undefined;
        const list = Array.isArray(b) ? b : Array.isArray(data) ? data : undefined;
        totals.messages += list ? list.length : 1;
        if (list) totals.hitsOffChannel += list.filter((m) => calledMethod(m)?.method === 'hit').length;
        totals.posts++;
        (to === 'AC' ? port2 : port1).postMessage(data);
      }
      // Each probe travels behind everything posted on its port, so once all four are answered,
      // every peer has seen every message of this round (and the answers are still right).
      await probeAll(++round);
      for (const name of ['A', 'B', 'C', 'D'] as const) {
        const side = sides[name];
        const was = before[name];
        expect(guard.escaped, guard.describe()).toEqual([]);
        expect(peers[name].closed, `${name} closed`).toBe(false);
        expect(side.counts.hit, `${name}: hit ran`).toBe(0);
        expect(side.counts.park - was.park, `${name}: park ran`).toBe(0);
        expect(side.counts.probe - was.probe, `${name}: probe`).toBe(1);
        const fresh = side.errors.slice(was.errors);
        expect(fresh.filter((e) => !(e instanceof MethodNotFoundError)), `${name}: onError got more than unknown notifications`).toEqual([]);
        expect(side.counts.ok - was.ok, `${name}: well-formed calls of ok on its channel`).toBe(expected[name].ok);
        expect(fresh.length, `${name}: unknown notifications reported`).toBe(expected[name].unknown);
        totals.okRuns += expected[name].ok;
        totals.unknownNotifies += expected[name].unknown;
      }
      expect(parked.filter((p) => p.early).map((p) => p.key), 'parked calls settled before release').toEqual([]);
    });
    const started = performance.now();
    await fc.assert(property, { numRuns: RUNS, endOnFailure: true });
    const ms = performance.now() - started;
    console.log(
      `fuzz: ${totals.messages} messages in ${totals.posts} posts (${totals.accepted} envelopes accepted by a channel) ` +
        `in ${ms.toFixed(0)} ms; ${totals.okRuns} well-formed ok calls ran, ${totals.hitsOffChannel} well-formed hit calls ` +
        `posted off-channel ran 0 times, ${totals.unknownNotifies} unknown notifications reached onError`,
    );
    expect(totals.messages).toBeGreaterThanOrEqual(100_000);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 60_000);

  it('afterwards, every parked call answers with its own value and the open streams are intact', async () => {
    releasing = true;
    for (const name of ['A', 'B', 'C', 'D'] as const) for (const release of sides[name].release.values()) release();
    const answers = await Promise.all(parked.map((p) => p.promise));
    expect(answers).toEqual(parked.map((p) => p.key));
    for (const name of ['A', 'C'] as const) {
      const rest: string[] = [];
      for await (const item of streams[name]!) rest.push(item);
      expect(rest).toEqual(Array.from({ length: 98 }, (_, i) => `S${name}:${i + 2}`));
    }
    await probeAll(-1);
    const after: string[] = [];
    for await (const item of peers.A.remote.stream('after', 3)) after.push(item);
    expect(after).toEqual(['after:0', 'after:1', 'after:2']);
  });

  it('afterwards, the peers hold nothing the hostile messages left behind', async () => {
    await sleep(20);
    await probeAll(-2);
    for (const name of ['A', 'B', 'C', 'D'] as const) expect(peers[name].stats, `${name}.stats`).toEqual(EMPTY_STATS);
  });

  it('a forged call or stream answer naming a stream already being read is dropped, and that stream is unharmed', async () => {
    const { port1: p1, port2: p2 } = new MessageChannel();
    const nearSide = makeSide('near');
    const near = createNodePeer<Handlers>(p1, { handlers: nearSide.handlers, window: 4 });
    const far = createNodePeer<Handlers>(p2, { handlers: makeSide('far').handlers });
    try {
      const iterator = await near.remote.stream('S', 20);
      expect((await iterator.next()).value).toBe('S:0');
      // The stream near reads has id 1 (far's first outbox); forge uses of that id.
      p2.postMessage({
        portwire: 1,
        b: [[CALL, FORGED + 1, 'ok', [0], [0, 1]], [NOTIFY, 'ok', [0], [0, 1]], [STREAM, FORGED + 2, 1]],
      });
      expect(await far.remote.probe(1)).toBe('near:1');
      expect(nearSide.counts.ok).toBe(0);
      const rest: string[] = [];
      for await (const item of iterator) rest.push(item);
      expect(rest).toEqual(Array.from({ length: 19 }, (_, i) => `S:${i + 1}`));
      expect(near.stats).toEqual(EMPTY_STATS);
    } finally {
      near.close();
      far.close();
      p1.close();
    }
  });

  it('a notification carrying stream ids is malformed: ignored whole, no handler, no inbox', async () => {
    const { port1: p1, port2: p2 } = new MessageChannel();
    const errors: unknown[] = [];
    let runs = 0;
    const near = createNodePeer(p1, { handlers: { ok: () => void runs++ }, onError: (e) => void errors.push(e) });
    const far = createNodePeer<{ ok(): void }>(p2, {});
    try {
      await far.remote.ok();
      p2.postMessage({ portwire: 1, b: [[NOTIFY, 'ok', [0], [0, FORGED + 1]], [NOTIFY, 'nope', [0, 0], [1, FORGED + 2]]] });
      await far.remote.ok();
      expect(runs, 'only the two real calls ran').toBe(2);
      expect(errors).toEqual([]);
      expect(near.stats, 'near.stats after two forged notifications with streams').toEqual(EMPTY_STATS);
    } finally {
      near.close();
      far.close();
      p1.close();
    }
  });

  it('a forged PING costs at most one reply (two peers without heartbeat do not bounce it forever)', async () => {
    const { port1: p1, port2: p2 } = new MessageChannel();
    const near = createNodePeer(p1, { handlers: { ok: () => 'ok' } });
    const far = createNodePeer<{ ok(): string }>(p2, {});
    let seen = 0;
    p1.on('message', () => seen++);
    try {
      await far.remote.ok();
      seen = 0;
      p2.postMessage({ portwire: 1, b: [[PING]] });
      await sleep(100);
      // The forged PING itself, and at most one PING back from far to near in answer to near's reply.
      expect(seen, `messages reaching near within 100 ms of one forged PING`).toBeLessThanOrEqual(2);
    } finally {
      near.close();
      far.close();
      p1.close();
    }
  });
});

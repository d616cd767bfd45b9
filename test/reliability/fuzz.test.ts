import fc from 'fast-check';
import { MessageChannel } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { createPeer, MethodNotFoundError, type Peer, type RemoteIterator } from '../../src/index';
import { createPeer as createNodePeer } from '../../src/node/index';
import { EMPTY_STATS, sleep, watchProcess } from './support';
import {
  ABORT, arity, CALL, calledMethod, CANCEL, CLOSE, END, ERROR, FAIL, HELLO, isId, ITEMS, MARK, NOTIFY, PING, PONG, PULL, READY, RESULT, STREAM,
} from './wireOracle';

// Hostile input: random, malformed, truncated, misaligned, wrong-marker, wrong-channel and forged
// messages posted raw onto both ends of a real MessageChannel, while two pairs of live peers (the
// unnamed channel and 'side') share it and hold real calls and streams open.
//
// The wire format, and how a peer must read it, is in ./wireOracle.ts.


/** Ids real calls and streams hold during the fuzz are below this; forged on-channel ids are above. */
const FORGED = 1_000_000;
const SIDE = 'side';
const RUNS = 600;
const HANDLER_NAMES = new Set(['ok', 'hit', 'probe', 'park', 'stream']);
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__'];

// ── the oracle: what the wire format says a peer on `channel` must read ───────────────────────

/** `data` when it is a postMessage a peer on `channel` (0: the unnamed one) must read; undefined otherwise. */
const wireFor = (data: unknown, channel: string | 0): unknown[] | undefined =>
  Array.isArray(data) && data[0] === MARK && data[1] === channel ? data : undefined;

/** The record of `size` entries at `at`, copied entry by entry (holes stay holes; no `slice`, which an own `constructor` key can break). */
function recordAt(list: ArrayLike<unknown>, at: number, size: number): unknown[] {
  const m = new Array<unknown>(size);
  for (let k = 0; k < size; k++) if (at + k in list) m[k] = list[at + k];
  return m;
}

/** Reads records from `from` as a peer does: each with where it starts, and where reading stopped. */
function readWire(list: ArrayLike<unknown>, from = 2): { records: Array<{ at: number; m: unknown[] }>; end: number } {
  const records: Array<{ at: number; m: unknown[] }> = [];
  let at = from;
  while (at < list.length) {
    const size = arity(list[at]);
    if (size === undefined || at + size > list.length) break;
    records.push({ at, m: recordAt(list, at, size) });
    at += size;
  }
  return { records, end: at };
}

/** The calls a peer on `channel` must run for `data`, as 'ok', 'notify:ok', 'notify:nope', … in order. */
const callsFor = (data: unknown, channel: string | 0 = 0): string[] => {
  const wire = wireFor(data, channel);
  if (!wire) return [];
  return readWire(wire).records.flatMap(({ m }) => {
    const called = calledMethod(m);
    return called ? [`${called.notify ? 'notify:' : ''}${called.method}`] : [];
  });
};

/**
 * Well-formed calls of `methods` found at any offset from `from`: bait a reader that did not stop
 * where the format says (or resynchronised somewhere) would run.
 */
function baitIn(list: ArrayLike<unknown>, from: number, methods: ReadonlySet<string>): number {
  let found = 0;
  for (let at = from; at < list.length; at++) {
    const size = arity(list[at]);
    if (size === undefined || at + size > list.length || (list[at] !== CALL && list[at] !== NOTIFY)) continue;
    const called = calledMethod(recordAt(list, at, size));
    if (called && methods.has(called.method)) found++;
  }
  return found;
}

const away = (v: unknown): unknown => (Number.isInteger(v) && (v as number) >= 1 && (v as number) < FORGED ? (v as number) + FORGED : v);
let nextFreshStream = 3 * FORGED;

/**
 * Makes an accepted wire safe to post without forging what the test itself relies on, in place and
 * only in the records a peer reads (what follows the end of reading is left as generated: bait that
 * must stay unread). Drops CLOSE (it would end the peers; the contract suite covers it) and
 * well-formed calls of the sentinel `hit` (records are self-delimiting, so taking one out leaves
 * the rest read the same), and moves ids out of the range real calls and streams use (a forged
 * answer on the right channel is indistinguishable from a real one; that is what channels are not
 * for). Stream ids of calls become fresh ones: a call naming a stream already being read is dropped
 * whole by design (tested on its own below), which the oracle would otherwise have to track. Kinds
 * are never touched, so where records start does not change.
 */
function tame(wire: unknown[]): void {
  const { records } = readWire(wire);
  for (let r = records.length - 1; r >= 0; r--) {
    const { at, m } = records[r]!;
    if (m[0] === CLOSE || calledMethod(m)?.method === 'hit') {
      wire.splice(at, m.length);
      continue;
    }
    if (m.length > 1 && at + 1 in wire) wire[at + 1] = away(wire[at + 1]);
    if (m.length > 2 && at + 2 in wire) wire[at + 2] = away(wire[at + 2]);
    const streams = m[0] === CALL ? wire[at + 4] : undefined;
    if (Array.isArray(streams)) {
      // Fresh ids, but equal ids stay equal: a list naming one stream twice must stay malformed.
      const fresh = new Map<unknown, number>();
      for (let k = 1; k < streams.length; k += 2) {
        if (!isId(streams[k])) continue;
        if (!fresh.has(streams[k])) fresh.set(streams[k], nextFreshStream++);
        streams[k] = fresh.get(streams[k]);
      }
    }
  }
}

// ── generators ──────────────────────────────────────────────────────────────────────────────
// A generated message is a list of entries, most often one record; a wire is the entries of its
// messages back to back after [MARK, channel]. Whether a message is one record, several, a piece of
// one or none at all is for the oracle to say, not the generator: that is the point of a flat wire.

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
  'toString.call', 'then', '', '.', 'ok.', '.ok', 'ok..ok', 'OK', 'ok ', MARK,
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
/** What may stand where a call's stream list is due: 0 (none) or a valid list over `args`. */
const callTail = fc.oneof(
  args.map((a) => [a, 0] as const),
  argsWithStreams,
);
/**
 * Stream lists that are wrong for `argc` arguments (argc ≥ 1). `undefined` is how the old format
 * said "none" (by leaving the entry out); here the entry is always there and "none" is 0.
 */
const badStreams = (argc: number) =>
  fc.constantFrom<unknown>(
    undefined, null, false, '0', 1, NaN, [], [0], 'x', {}, [0, 1, 0, 2], [argc, 1], [-1, 1], [0, 0], [0, -5], [0.5, 1],
    ['0', 1], [0, 7, 1, 7], [0, 2 ** 53], [0, NaN], { 0: 0, 1: 1, length: 2 }, [0, 1, 2], [0, '1'],
  );
const badString = fc.constantFrom<unknown>(null, undefined, 1, 0, ['hit'], new String('hit'), { toString: 'hit' }, true);
const badArgs = fc.oneof(
  fc.constantFrom<unknown>(null, undefined, 'hit', 1, 0, {}, { 0: 1, length: 1 }, new Uint8Array(2), new Map([[0, 1]]), new Set([1])),
  fc.string({ maxLength: 3 }),
  protoKeyed,
);
/** Entries that are no kind at all, where a kind is due: reading ends there. */
const unknownKind = fc.constantFrom<unknown>(
  -1, -2, 2.5, '2', '3', MARK, null, undefined, NaN, 2n, 0n, [2], [], {}, 16, 99, FORGED, new Number(2), Infinity, -Infinity, 1e300, true,
);

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
/** `m` with a hole at `at` (as a sparse array crosses structured clone). */
const holed = (m: Msg, at: number): Msg => {
  const copy = m.slice();
  delete copy[at];
  return copy;
};

/** Records of every kind, each its kind's length exactly (their ids may still be bad). */
const shaped: fc.Arbitrary<Msg> = fc.oneof(
  msg(fc.constantFrom([HELLO], [READY], [PING], [PONG], [CLOSE])),
  msg(fc.tuple(fc.constant(CALL), anyId, method, callTail).map(([k, id, name, [a, s]]) => [k, id, name, a, s] as const)),
  msg(fc.tuple(fc.constant(NOTIFY), method, args)),
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
  msg(fc.tuple(fc.constant(CALL), goodId, fc.constant('ok'), callTail).map(([k, id, n, [a, s]]) => [k, id, n, a, s] as const)),
  msg(fc.tuple(fc.constant(NOTIFY), fc.constant('ok'), args)),
);

/** Well-formed calls of the sentinel `hit`: posted only where nobody may read them (tame drops the rest). */
const validHit: fc.Arbitrary<Msg> = fc.oneof(
  msg(fc.tuple(fc.constant(CALL), goodId, fc.constant('hit'), callTail).map(([k, id, n, [a, s]]) => [k, id, n, a, s] as const)),
  msg(fc.tuple(fc.constant(NOTIFY), fc.constant('hit'), args)),
);

/**
 * Calls and notifications of `hit` of the right kind and length with a field of the wrong type:
 * each is skipped, and reading goes on after it.
 */
const malformedHitRecord: fc.Arbitrary<Msg> = fc.oneof(
  msg(fc.tuple(fc.constant(CALL), badId, fc.constant('hit'), args, fc.constant(0))),
  msg(fc.tuple(fc.constant(CALL), goodId, badString, args, fc.constant(0))),
  msg(fc.tuple(fc.constant(CALL), goodId, fc.constant('hit'), badArgs, fc.constant(0))),
  msg(someArgs.chain((a) => fc.tuple(fc.constant(CALL), goodId, fc.constant('hit'), fc.constant(a), badStreams(a.length)))),
  fc.tuple(goodId, args, fc.integer({ min: 1, max: 4 })).map(([id, a, at]) => holed([CALL, id, 'hit', a, 0], at)),
  msg(fc.tuple(fc.constant(NOTIFY), badString, args)),
  msg(fc.tuple(fc.constant(NOTIFY), fc.constant('hit'), badArgs)),
  fc.tuple(args, fc.integer({ min: 1, max: 2 })).map(([a, at]) => holed([NOTIFY, 'hit', a], at)),
  // The method where the old format had it after an id: its args are then the method.
  msg(fc.tuple(fc.constant(NOTIFY), goodId, fc.constant('hit'))),
);

/**
 * Calls of `hit` that do not even start a record of the right length: an unknown kind (reading
 * ends), a record cut short (at the end of the wire it runs past it; mid-wire the next record's
 * kind, a number, lands where args or a method are due), an old-format record (a call without its
 * stream entry takes the next kind as its stream list: wrong unless that kind is HELLO's 0), a
 * record nested as one entry, an object where a kind is due.
 */
const hitStopper: fc.Arbitrary<Msg> = fc.oneof(
  msg(fc.tuple(unknownKind, goodId, fc.constant('hit'), args, fc.constant(0))),
  fc.tuple(goodId, args).map(([id, a]) => holed([CALL, id, 'hit', a, 0], 0)),
  msg(fc.tuple(fc.constant(CALL), goodId, fc.constant('hit'), args)),
  msg(fc.tuple(fc.constant(CALL), goodId, fc.constant('hit'))),
  msg(fc.tuple(fc.constant(CALL), goodId)),
  msg(fc.tuple(fc.constant(NOTIFY), fc.constant('hit'))),
  msg(fc.tuple(forgedId, fc.constant('hit'), args)),
  fc.tuple(goodId, args).map(([id, a]) => [[CALL, id, 'hit', a, 0]]),
  fc.tuple(goodId, args).map(([id, a]) => [{ 0: CALL, 1: id, 2: 'hit', 3: a, 4: 0, length: 5 }]),
  fc.tuple(goodId, args).map(([id, a]) => [withOwn({ 0: CALL, 1: id, 2: 'hit', 3: a, 4: 0 }, '__proto__', Array.prototype)]),
);

/** Calls and notifications of `hit` that are wrong in exactly the ways a reader must catch. */
const malformedHit: fc.Arbitrary<Msg> = fc.oneof({ weight: 3, arbitrary: malformedHitRecord }, { weight: 2, arbitrary: hitStopper });

/**
 * A notification followed by a stream list, as the old format allowed: a notification has no such
 * entry, so it is read as the next record's kind (a list, or any number: a kind or not).
 */
const notifyWithStreams: fc.Arbitrary<Msg> = fc
  .tuple(fc.oneof(fc.constant('ok'), fc.constant('hit'), method), argsWithStreams, fc.oneof(fc.constant(null), anything, fc.nat(20)))
  .map(([name, [a, s], other]) => [NOTIFY, name, a, other === null ? s : other]);

/** A shaped record with one entry replaced, cut short, extended or turned into a hole. */
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

/** A shaped record with an object carrying prototype names as own keys in one of its fields. */
const protoFields: fc.Arbitrary<Msg> = fc.tuple(shaped, fc.nat(3), protoKeyed).map(([m, at, value]) => {
  const copy = m.slice();
  if (copy.length > 1) copy[1 + (at % (copy.length - 1))] = value;
  return copy;
});

/** Records of a known kind and its exact length: reading goes past each of them. */
const aligned: fc.Arbitrary<Msg> = fc.oneof(
  { weight: 6, arbitrary: shaped },
  { weight: 3, arbitrary: okCall },
  { weight: 1, arbitrary: validHit },
  { weight: 3, arbitrary: malformedHitRecord },
  { weight: 1, arbitrary: protoFields },
);

/** Messages after which reading may stop, or go on misaligned. */
const disruptive: fc.Arbitrary<Msg> = fc.oneof(
  { weight: 3, arbitrary: hitStopper },
  { weight: 3, arbitrary: mutated },
  { weight: 1, arbitrary: notifyWithStreams },
  { weight: 1, arbitrary: unknownKind.map((kind) => [kind]) },
  { weight: 1, arbitrary: anything.map((value) => [value]) },
);

const LONG = { maxLength: 120, size: 'max' } as const;
/** The messages of one wire: all read, read up to one that ends reading (or misaligns it), or a mix. */
const messages: fc.Arbitrary<Msg[]> = fc.oneof(
  { weight: 4, arbitrary: fc.array(aligned, LONG) },
  {
    weight: 4,
    arbitrary: fc.tuple(fc.array(aligned, LONG), disruptive, fc.nat()).map(([list, stop, at]) => {
      list.splice(at % (list.length + 1), 0, stop);
      return list;
    }),
  },
  { weight: 3, arbitrary: fc.array(fc.oneof({ weight: 4, arbitrary: aligned }, { weight: 1, arbitrary: disruptive }), LONG) },
  {
    // The last record cut short: it would run past the end, so it is not read at all (an answer
    // without its value, say, must not settle the call it names).
    weight: 2,
    arbitrary: fc
      .tuple(fc.array(aligned, LONG), shaped.filter((m) => m.length > 1), fc.nat())
      .map(([list, last, cut]) => [...list, last.slice(0, 1 + (cut % (last.length - 1)))]),
  },
);

/** `head` then the entries of `list`, back to back; holes stay holes. */
function flatten(head: unknown[], list: Msg[]): unknown[] {
  const wire = head.slice();
  let at = wire.length;
  for (const m of list) {
    for (let k = 0; k < m.length; k++) if (k in m) wire[at + k] = m[k];
    at += m.length;
    wire.length = at;
  }
  return wire;
}

const ABSENT = Symbol('absent');
const HOLE = Symbol('hole');
/** A posted value and how many messages went into it (1 for anything that is not made of them). */
type Post = { data: unknown; messages: number };

const wire: fc.Arbitrary<Post> = fc
  .record({
    mark: fc.oneof(
      { weight: 8, arbitrary: fc.constant<unknown>(MARK) },
      {
        weight: 2,
        arbitrary: fc.constantFrom<unknown>(
          ABSENT, HOLE, 'portwire:1', 'portwire:3', 'portwire', 'portwire:2 ', 'Portwire:2', 'portwire:02', 'portwire:2.0',
          2, 1, '2', '', null, undefined, true, new String(MARK), [MARK], { portwire: 2 },
        ),
      },
    ),
    channel: fc.oneof(
      { weight: 5, arbitrary: fc.constant<unknown>(0) },
      { weight: 4, arbitrary: fc.constant<unknown>(SIDE) },
      {
        weight: 3,
        // -0 === 0: it is the unnamed channel. ABSENT puts the first record's kind where the
        // channel is due: HELLO's 0 then names the unnamed channel.
        arbitrary: fc.constantFrom<unknown>(
          ABSENT, HOLE, undefined, null, '', -0, '0', 0n, false, NaN, 1, 'other', 'Side', 'side ', ['side'], {}, new String('side'), new Number(0),
        ),
      },
    ),
    list: messages,
  })
  .map(({ mark, channel, list }) => {
    const head: unknown[] = [];
    for (const entry of [mark, channel]) {
      if (entry === HOLE) head.length++;
      else if (entry !== ABSENT) head.push(entry);
    }
    return { data: flatten(head, list), messages: list.length };
  });

/** The old format: { portwire: 1, ch?, b: [[kind, …], …] }, and near misses of it. Foreign now. */
const oldEnvelope: fc.Arbitrary<Post> = fc
  .record({
    portwire: fc.constantFrom<unknown>(1, 2, MARK),
    ch: fc.constantFrom<unknown>(ABSENT, undefined, 0, SIDE),
    b: fc.array(fc.oneof(okCall, validHit, shaped), { maxLength: 8 }),
  })
  .map(({ portwire, ch, b }) => ({ data: ch === ABSENT ? { portwire, b } : { portwire, ch, b }, messages: b.length }));

const post = fc.record({
  to: fc.constantFrom('AC', 'BD'),
  made: fc.oneof(
    { weight: 12, arbitrary: wire },
    // Records nested one per entry, as the old batch held them: the first is no kind.
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom<unknown>(0, SIDE), fc.array(fc.oneof(okCall, validHit), { maxLength: 8 })).map(([ch, list]) => ({ data: [MARK, ch, ...list], messages: list.length })) },
    // The records without MARK and channel; the same as an array-like object.
    { weight: 1, arbitrary: fc.array(aligned, { maxLength: 8 }).map((list) => ({ data: flatten([], list), messages: list.length })) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom<unknown>(0, SIDE), fc.array(aligned, { maxLength: 8 })).map(([ch, list]) => {
      const flat = flatten([MARK, ch], list);
      return { data: { ...flat, length: flat.length }, messages: list.length };
    }) },
    { weight: 1, arbitrary: oldEnvelope },
    { weight: 1, arbitrary: anything.map((data) => ({ data, messages: 1 })) },
    { weight: 1, arbitrary: protoKeyed.map((data) => ({ data, messages: 1 })) },
  ),
  // Prototype names as own keys of the posted array itself, put there once it is cloned (an array
  // with an own `constructor` breaks Array.prototype.map, which fast-check's reporter relies on).
  extra: fc.oneof({ weight: 4, arbitrary: fc.constant<string[]>([]) }, { weight: 1, arbitrary: fc.subarray(PROTO_KEYS, { minLength: 1 }) }),
  extraValue: anything,
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
// A and C (port1) beat, at an interval that never elapses here: what they hear keeps them alive.
// Every peer answers a PING with a PONG and never answers a PONG, so a forged PING costs one reply
// (see the last test of this file).
const common = { timeout: 0, window: 4 };
const peers: Record<keyof typeof sides, Peer<Handlers>> = {
  A: createPeer<Handlers>(port1 as never, { ...common, handlers: sides.A.handlers, onError: sides.A.onError, heartbeat: 60_000 }),
  B: createPeer<Handlers>(port2 as never, { ...common, channel: '', handlers: sides.B.handlers, onError: sides.B.onError }),
  C: createNodePeer<Handlers>(port1, { ...common, channel: SIDE, handlers: sides.C.handlers, onError: sides.C.onError, heartbeat: 60_000 }),
  D: createNodePeer<Handlers>(port2, { ...common, channel: SIDE, handlers: sides.D.handlers, onError: sides.D.onError }),
};
/**
 * Who hears raw data posted on each port: A ↔ B talk on the unnamed channel (A made without a
 * channel, B with channel '': both are 0 on the wire), C ↔ D on 'side'.
 */
const recipients = { AC: [['A', 0], ['C', SIDE]], BD: [['B', 0], ['D', SIDE]] } as const;

/** Calls each peer keeps open through the fuzz, and whether any settled before it was released. */
let releasing = false;
const parked: Array<{ peer: keyof typeof sides; key: string; promise: Promise<string>; early: boolean }> = [];
const streams: Record<string, RemoteIterator<string>> = {};
const protoBefore = Object.getOwnPropertyNames(Object.prototype).sort();
const guard = watchProcess();
const totals = {
  messages: 0,
  posts: 0,
  accepted: 0,
  read: 0,
  stopped: 0,
  unread: 0,
  bait: 0,
  okRuns: 0,
  hitsUnread: 0,
  unknownNotifies: 0,
  decorated: 0,
};
const OK_HIT = new Set(['ok', 'hit']);
const HIT = new Set(['hit']);

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
  it('the oracle reads the wire format as it is specified', () => {
    // Read in order; the unnamed channel is 0, a named one its name; either must match exactly.
    expect(callsFor([MARK, 0, NOTIFY, 'a', [], CALL, 1, 'b', [], 0, PING, CALL, 2, 'c', [[]], [0, 5]])).toEqual(['notify:a', 'b', 'c']);
    expect(callsFor([MARK, SIDE, NOTIFY, 'a', []], SIDE)).toEqual(['notify:a']);
    expect(callsFor([MARK, -0, NOTIFY, 'a', []])).toEqual(['notify:a']);
    for (const data of [
      [MARK, SIDE, NOTIFY, 'a', []],
      [MARK, '', NOTIFY, 'a', []],
      [MARK, undefined, NOTIFY, 'a', []],
      ['portwire:1', 0, NOTIFY, 'a', []],
      [0, NOTIFY, 'a', []],
      { 0: MARK, 1: 0, 2: NOTIFY, 3: 'a', 4: [], length: 5 },
      { portwire: 1, b: [[NOTIFY, 'a', []]] },
    ]) {
      expect(callsFor(data), JSON.stringify(data)).toEqual([]);
    }
    // No channel at all: the first record's kind stands where the channel is due (HELLO's 0 names the unnamed one).
    expect(callsFor([MARK, HELLO, NOTIFY, 'a', []])).toEqual(['notify:a']);
    // An unknown kind, or a record that would run past the end, ends the batch.
    expect(callsFor([MARK, 0, NOTIFY, 'a', [], 16, NOTIFY, 'b', []])).toEqual(['notify:a']);
    expect(callsFor([MARK, 0, NOTIFY, 'a', [], '3', NOTIFY, 'b', []])).toEqual(['notify:a']);
    expect(callsFor([MARK, 0, NOTIFY, 'a', [], [NOTIFY, 'b', []], NOTIFY, 'c', []])).toEqual(['notify:a']);
    expect(callsFor([MARK, 0, NOTIFY, 'a', [], CALL, 1, 'b', []])).toEqual(['notify:a']);
    // A known kind with fields of the wrong type is skipped; reading goes on after it.
    expect(callsFor([MARK, 0, CALL, 0, 'a', [], 0, NOTIFY, 'b', [], CALL, 1, 'c', [], undefined, NOTIFY, 'd', []])).toEqual(['notify:b', 'notify:d']);
    // A notification has three entries: a fourth is read as the next record's kind.
    expect(callsFor([MARK, 0, NOTIFY, 'a', [0], [0, 5], NOTIFY, 'b', []])).toEqual(['notify:a']);
    expect(callsFor([MARK, 0, NOTIFY, 'a', [0], PING, NOTIFY, 'b', []])).toEqual(['notify:a', 'notify:b']);
    // A call without its stream entry takes the next kind as its stream list: only HELLO's 0 fits.
    expect(callsFor([MARK, 0, CALL, 1, 'a', [], NOTIFY, 'b', []])).toEqual([]);
    expect(callsFor([MARK, 0, CALL, 1, 'a', [], HELLO, NOTIFY, 'b', []])).toEqual(['a', 'notify:b']);
    // Misaligned: a record cut short takes its missing fields from what follows.
    expect(callsFor([MARK, 0, ABORT, NOTIFY, 'a', []])).toEqual([]);
    expect(callsFor([MARK, 0, PONG, NOTIFY, 'a', []])).toEqual(['notify:a']);
    // tame leaves the rest read the same when it takes a record out, and never touches unread entries.
    const tamed = [MARK, 0, NOTIFY, 'hit', [], CLOSE, CALL, 3, 'ok', [null], [0, 9], RESULT, 2, 'x', 99, RESULT, 2, 'x'];
    tame(tamed);
    const fresh = (tamed[6] as number[])[1];
    expect(tamed).toEqual([MARK, 0, CALL, FORGED + 3, 'ok', [null], [0, fresh], RESULT, FORGED + 2, 'x', 99, RESULT, 2, 'x']);
    expect(fresh).toBeGreaterThanOrEqual(3 * FORGED);
    expect(callsFor(tamed)).toEqual(['ok']);
  });

  it('the generators make what they claim', () => {
    const alone = (m: Msg) => flatten([MARK, 0], [m]);
    // Malformed calls of `hit` are never read as one: on their own, nor with a well-formed record after them.
    fc.assert(fc.property(malformedHit, (m) => !callsFor(structuredClone(alone(m))).some((c) => c.endsWith('hit'))), { numRuns: 3000 });
    fc.assert(
      fc.property(malformedHit, okCall, (m, next) => !callsFor(structuredClone(flatten([MARK, 0], [m, next]))).some((c) => c.endsWith('hit'))),
      { numRuns: 3000 },
    );
    fc.assert(fc.property(validHit, (m) => callsFor(structuredClone(alone(m))).join() === (m[0] === CALL ? 'hit' : 'notify:hit')), { numRuns: 300 });
    // Aligned messages are one record each, all read to the end.
    fc.assert(
      fc.property(fc.array(aligned, { maxLength: 20 }), (list) => {
        const read = readWire(structuredClone(flatten([MARK, 0], list)));
        return read.records.length === list.length && read.end === 2 + list.reduce((n, m) => n + m.length, 0);
      }),
      { numRuns: 1000 },
    );
  });

  it('ignores what it must, reads what it may, and lets nothing escape (≥ 100 000 messages)', async () => {
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
      for (const { to, made, extra, extraValue } of posts) {
        // What arrives is a structured clone: judge and post exactly that (own keys put on it below
        // survive the clone postMessage makes).
        const data = structuredClone(made.data);
        const accepted = wireFor(data, 0) ?? wireFor(data, SIDE);
        if (accepted) {
          tame(accepted);
          totals.accepted++;
        }
        if (Array.isArray(data) && extra.length) {
          for (const key of extra) withOwn(data, key, structuredClone(extraValue));
          totals.decorated++;
        }
        for (const [name, channel] of recipients[to]) {
          const wire = wireFor(data, channel);
          if (!wire) continue;
          const { records, end } = readWire(wire);
          totals.read += records.length;
          if (end < wire.length) {
            totals.stopped++;
            totals.unread += wire.length - end;
            totals.bait += baitIn(wire, end, OK_HIT);
            totals.hitsUnread += baitIn(wire, end, HIT);
          }
          for (const { m } of records) {
            const called = calledMethod(m);
            if (!called) continue;
            if (called.method === 'ok') expected[name].ok++;
            else if (called.notify) expected[name].unknown++;
          }
        }
        if (!accepted && typeof data === 'object' && data !== null) {
          const list = Array.isArray(data) ? data : Array.isArray((data as { b?: unknown }).b) ? (data as { b: unknown[] }).b.flat(1) : undefined;
          if (list) totals.hitsUnread += baitIn(list, 0, HIT);
        }
        totals.messages += made.messages;
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
        expect(side.counts.ok - was.ok, `${name}: well-formed calls of ok read on its channel`).toBe(expected[name].ok);
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
      `fuzz: ${totals.messages} messages in ${totals.posts} posts in ${ms.toFixed(0)} ms; ${totals.accepted} wires accepted by a ` +
        `channel, ${totals.read} records read there; ${totals.stopped} wires ended early, leaving ${totals.unread} entries unread ` +
        `with ${totals.bait} well-formed ok/hit calls at some offset among them; ${totals.decorated} arrays with prototype names ` +
        `as own keys; ${totals.okRuns} well-formed ok calls ran; ${totals.hitsUnread} well-formed hit calls posted where no peer ` +
        `may read them ran 0 times; ${totals.unknownNotifies} unknown notifications reached onError`,
    );
    expect(totals.messages).toBeGreaterThanOrEqual(100_000);
    // The bait was there: reading past an end, or on another channel, would have been seen.
    expect(totals.bait).toBeGreaterThan(1000);
    expect(totals.hitsUnread).toBeGreaterThan(1000);
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
      // The stream near reads has id 1 (far's first outbox); forge uses of that id: a call that
      // uploads into it, and a call answer that names it.
      p2.postMessage([MARK, 0, CALL, FORGED + 1, 'ok', [0], [0, 1], STREAM, FORGED + 2, 1]);
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

  it('a notification has no stream list: an entry after its arguments is read as the next record’s kind', async () => {
    const { port1: p1, port2: p2 } = new MessageChannel();
    const errors: unknown[] = [];
    const ran: unknown[] = [];
    const near = createNodePeer(p1, { handlers: { ok: (n: unknown) => void ran.push(n) }, onError: (e) => void errors.push(e) });
    const far = createNodePeer<{ ok(n: unknown): void }>(p2, {});
    try {
      await far.remote.ok('real');
      // A stream list where a kind is due ends the batch: the notification before it runs (with
      // no upload: its argument stays as sent), the one after it does not.
      p2.postMessage([MARK, 0, NOTIFY, 'ok', [0], [0, FORGED + 1], NOTIFY, 'ok', [1]]);
      // So does a number that is no kind.
      p2.postMessage([MARK, 0, NOTIFY, 'ok', [2], FORGED + 2, NOTIFY, 'ok', [3]]);
      // A number that is a kind is that record: PING (answered, harmless), then the next notification.
      p2.postMessage([MARK, 0, NOTIFY, 'nope', [4], PING, NOTIFY, 'ok', [5]]);
      await far.remote.ok('real again');
      expect(ran).toEqual(['real', 0, 2, 5, 'real again']);
      expect(errors.map((e) => e instanceof MethodNotFoundError && e.method), 'the unknown notification').toEqual(['nope']);
      expect(near.stats, 'near.stats: no inbox was opened').toEqual(EMPTY_STATS);
    } finally {
      near.close();
      far.close();
      p1.close();
    }
  });

  it('the unnamed channel is 0 on the wire; an answer on another channel settles nothing', async () => {
    const { port1: p1, port2: p2 } = new MessageChannel();
    const ran: string[] = [];
    const ok = (tag: string) => (n: unknown) => void ran.push(`${tag}:${n}`);
    let release!: (value: string) => void;
    const all = [
      createNodePeer(p1, { handlers: { ok: ok('none') } }),
      createNodePeer(p1, { channel: '', handlers: { ok: ok('empty') } }),
      createNodePeer(p1, { channel: SIDE, handlers: { ok: ok('side') } }),
      createNodePeer(p2, { channel: SIDE, handlers: { park: () => new Promise<string>((resolve) => (release = resolve)) } }),
    ];
    const [, , side, far] = all as [Peer, Peer, Peer, Peer<{ ok(n: unknown): void }>];
    try {
      // A call from side (id 1) parked on far, on 'side'.
      let settled: unknown = 'pending';
      const parkedCall = side.call('park', []).then((value) => (settled = value));
      await far.remote.ok('probe');
      for (const [n, channel] of [[1, ''], [2, undefined], [3, null], [4, '0'], [5, false], [6, 'Side'], [7, new Number(0)], [8, 0n]] as const) {
        p2.postMessage([MARK, channel, NOTIFY, 'ok', [n], RESULT, 1, 'forged']);
      }
      p2.postMessage([MARK, NOTIFY, 'ok', [9]]); // no channel: NOTIFY's 3 stands there
      p2.postMessage([MARK, 0, NOTIFY, 'ok', [10], RESULT, 1, 'forged on the unnamed channel']);
      p2.postMessage([MARK, -0, NOTIFY, 'ok', [11]]);
      p2.postMessage(['portwire:1', SIDE, RESULT, 1, 'forged, old version']);
      p2.postMessage({ portwire: 1, ch: SIDE, b: [[RESULT, 1, 'forged, old format']] });
      // On its own channel, but cut short: a RESULT without its value would run past the end, so it is not read.
      p2.postMessage([MARK, SIDE, RESULT, 1]);
      await far.remote.ok('probe again');
      expect(ran.sort()).toEqual(['empty:10', 'empty:11', 'none:10', 'none:11', 'side:probe', 'side:probe again']);
      expect(settled, 'the call pending on side').toBe('pending');
      // The same answer on the call's own channel does settle it (which is why the fuzz moves ids away).
      p2.postMessage([MARK, SIDE, RESULT, 1, 'on its channel']);
      await parkedCall;
      expect(settled).toBe('on its channel');
      release('late');
      await far.remote.ok('last');
      expect(side.stats).toEqual(EMPTY_STATS);
    } finally {
      for (const peer of all) peer.close();
      p1.close();
    }
  });

  it('an array carrying prototype names as own keys (constructor included) is read by its entries alone', async () => {
    const { port1: p1, port2: p2 } = new MessageChannel();
    const errors: unknown[] = [];
    const ran: unknown[] = [];
    const near = createNodePeer(p1, { handlers: { ok: (n: unknown) => void ran.push(n) }, onError: (e) => void errors.push(e) });
    const far = createNodePeer<{ ok(n: unknown): void }>(p2, {});
    const escaped = watchProcess();
    try {
      await far.remote.ok('real');
      // Structured clone keeps an array's own non-index keys: a hostile sender can set them. A
      // reader that calls array methods on what it got (slice, map: they look up `constructor`)
      // throws out of its message listener; one that reads entries by index does not care.
      let n = 0;
      for (const value of ['x', 1, null, true, {}, []]) {
        for (const key of PROTO_KEYS) {
          const data = withOwn([MARK, 0, NOTIFY, 'ok', [n++]], key, value);
          p2.postMessage(data);
        }
      }
      await far.remote.ok('real again');
      expect(escaped.escaped, escaped.describe()).toEqual([]);
      expect(ran).toEqual(['real', ...Array.from({ length: n }, (_, i) => i), 'real again']);
      expect(errors).toEqual([]);
    } finally {
      escaped.stop();
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
      p2.postMessage([MARK, 0, PING, PING, PING]);
      await sleep(100);
      // The forged PINGs themselves, and at most one message from far to near in answer to near's replies.
      expect(seen, `messages reaching near within 100 ms of one post of forged PINGs`).toBeLessThanOrEqual(2);
    } finally {
      near.close();
      far.close();
      p1.close();
    }
  });
});

// Hostile input for e2e/reliability.spec.ts, made the same way in the page and in the worker from a
// seed: a tiny PRNG (mulberry32), a generator, and a reader that knows, for every post, what a peer
// on the unnamed channel must do with it. The wire format is spelled out here rather than imported,
// so the test states it on its own. One postMessage is one flat array, [MARK, channel, ...records]:
// MARK is 'portwire:2' (marker and version in one; anything else at index 0 is foreign), channel is
// the channel's name or the number 0 for the unnamed channel (anything else at index 1 is another
// channel), and each record is a kind followed by exactly that kind's fields (ARITY). Reading starts
// at index 2. An entry that is no known kind where a kind is due, or a record that would run past
// the end, ends the batch: the rest is dropped, since nothing after it can be found again. A record
// of a known kind whose fields have the wrong types is skipped, and reading goes on after it.
export {
  ABORT, ARITY, CALL, CANCEL, CLOSE, END, ERROR, FAIL, HELLO, ITEMS, MARK, NOTIFY, PING, PONG, PULL, READY, RESULT, STREAM,
} from '../../test/reliability/wireOracle';
import {
  ABORT, ARITY, arity, CALL, calledMethod, CANCEL, CLOSE, END, ERROR, FAIL, HELLO, isId, ITEMS, MARK, NOTIFY, PING, PONG, PULL, READY, RESULT, STREAM,
} from '../../test/reliability/wireOracle';
export { calledMethod };

/** Real calls and streams use ids far below this; forged on-channel ids are at or above it. */
export const FORGED = 1_000_000;

/** Names no handler object may answer (own keys of Object.prototype and friends), plus unknown ones. */
const NOT_FOUND = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '', 'nope', 'ok.x', 'hit.', '.hit'];

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ── the reader: what the wire format says a peer on the unnamed channel must read ─────────────

/** True when a peer on the unnamed channel must read `data` (a -0 channel is 0 too: they are ===). */
export const isOurs = (data: unknown): data is unknown[] => Array.isArray(data) && data[0] === MARK && data[1] === 0;

/** Reads records from index 2 as a peer does: each with where it starts, and where reading stopped. */
export function readWire(wire: unknown[]): { records: Array<{ at: number; m: unknown[] }>; end: number } {
  const records: Array<{ at: number; m: unknown[] }> = [];
  let at = 2;
  while (at < wire.length) {
    const size = arity(wire[at]);
    if (size === undefined || at + size > wire.length) break;
    // Entry by entry, not `slice`: holes stay holes.
    const m = new Array<unknown>(size);
    for (let k = 0; k < size; k++) if (at + k in wire) m[k] = wire[at + k];
    records.push({ at, m });
    at += size;
  }
  return { records, end: at };
}

// ── the generator ────────────────────────────────────────────────────────────────────────────

/** What a peer on the unnamed channel must do with a batch of posts. */
export interface Expectation {
  /** Well-formed calls and notifications of `ok` it must run. */
  ok: number;
  /** Well-formed notifications of a name it has no method for: each reaches its onError. */
  notFound: number;
  /** Messages (records, or near misses of one) posted; a post that is not made of them counts as one. */
  messages: number;
  /**
   * Well-formed `hit` calls and CLOSEs posted where this peer must not read them: in postMessages
   * it must ignore (another marker or channel), plus those after the point where reading stopped
   * in one it reads (counted on their own in `afterEndHits` and `afterEndCloses` too).
   */
  offChannelHits: number;
  offChannelCloses: number;
  afterEndHits: number;
  afterEndCloses: number;
  /** Records read in postMessages it must read, and how many of those ended before their last entry. */
  read: number;
  endedEarly: number;
  /** Answers to real calls and streams cut short at the end of a postMessage it reads. */
  cutShort: number;
}

const isHit = (m: unknown[]) => calledMethod(m)?.method === 'hit';
const isClose = (m: unknown[]) => m.length === 1 && m[0] === CLOSE;

export function hostilePosts(seed: number, count: number): { posts: unknown[]; expect: Expectation } {
  const rnd = mulberry32(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  const expect: Expectation = {
    ok: 0, notFound: 0, messages: 0, offChannelHits: 0, offChannelCloses: 0, afterEndHits: 0, afterEndCloses: 0, read: 0, endedEarly: 0, cutShort: 0,
  };
  let freshStream = 3 * FORGED;

  const junk = (depth = 0): unknown => {
    switch (int(depth > 1 ? 9 : 13)) {
      case 0: return int(2 ** 31) - 2 ** 30;
      case 1: return pick([NaN, Infinity, -0, 1.5, 2 ** 53, -1, 0]);
      case 2: return pick(['', 'hit', '__proto__', 'portwire', MARK, '\u0000', 'x'.repeat(int(300))]);
      case 3: return pick([null, undefined, true, false]);
      case 4: return BigInt(int(1000)) * 10n ** 20n;
      case 5: return new Date(int(2 ** 40));
      case 6: return new Uint8Array(int(16)).map(() => int(256));
      case 7: return /re(g)ex/giu;
      case 8: return new ArrayBuffer(int(32));
      case 9: return Array.from({ length: int(5) }, () => junk(depth + 1));
      case 10: return Object.fromEntries(Array.from({ length: int(4) }, () => [pick(['a', 'b', '__proto__', 'constructor', 'then', 'portwire', 'b']), junk(depth + 1)]));
      case 11: return new Map([[junk(depth + 1), junk(depth + 1)]]);
      default: return new Set([junk(depth + 1)]);
    }
  };
  const args = () => Array.from({ length: int(4) }, () => junk(1));
  const forgedId = () => FORGED + int(FORGED);
  const badId = () => pick<unknown>([0, -1, 1.5, '1', NaN, 2 ** 53, null, undefined, [1], {}, 1n, Infinity]);
  const badString = () => pick<unknown>([1, null, undefined, ['hit'], {}, true, 1n]);
  const badArgs = () => pick<unknown>(['x', {}, null, undefined, 1, 0, { length: 0 }, new Map(), new Set([1])]);
  /** Entries that are no kind at all, where a kind is due: reading ends there. */
  const unknownKind = () => pick<unknown>([-1, 16, 99, FORGED, 2.5, NaN, Infinity, '2', '3', MARK, null, undefined, true, [2], {}, 2n]);
  /**
   * A stream list that is wrong for `argc` arguments. `undefined` is how the old format said
   * "none" (by leaving the entry out); the entry is always there now and "none" is 0.
   */
  const badStreams = (argc: number) =>
    pick<() => unknown>([
      () => undefined,
      () => null,
      () => pick<unknown>(['0', false, 1, -1]),
      () => [],
      () => [0],
      () => [argc, forgedId()],
      () => [-1, forgedId()],
      () => [0.5, forgedId()],
      () => [0, 0],
      () => [0, -3],
      () => [0, '7'],
      () => [0, forgedId(), 0, forgedId()],
      () => { const id = forgedId(); return [0, id, 1, id]; },
      () => 'streams',
      () => ({ 0: 0, 1: forgedId(), length: 2 }),
    ])();

  // Each maker returns the entries of one message: a record, or a near miss of one.

  /** A `hit` call or notification that is wrong in a way the reader must catch: it must never run. */
  const malformedHit = (): unknown[] => {
    const a = args();
    // Two in three keep reading going (the first eight), so what follows them is read too.
    switch (int(3) ? int(8) : 8 + int(7)) {
      // The right kind and length, a field of the wrong type: skipped, reading goes on.
      case 0: return [CALL, badId(), 'hit', a, 0];
      case 1: return [CALL, forgedId(), badString(), a, 0];
      case 2: return [CALL, forgedId(), 'hit', badArgs(), 0];
      case 3: return [CALL, forgedId(), 'hit', [1, 2], badStreams(2)];
      case 4: return [NOTIFY, badString(), a];
      case 5: return [NOTIFY, 'hit', badArgs()];
      case 6: return [NOTIFY, forgedId(), 'hit'];
      case 7: {
        const m = [CALL, forgedId(), 'hit', a, 0];
        delete m[1 + int(4)];
        return m;
      }
      // No record of the right length: an unknown kind or a hole where the kind is due ends reading;
      // one cut short takes the next record's kind (a number) as its method, args or stream list.
      case 8: return [unknownKind(), forgedId(), 'hit', a, 0];
      case 9: {
        const m = [CALL, forgedId(), 'hit', a, 0];
        delete m[0];
        return m;
      }
      case 10: return pick([[CALL, forgedId(), 'hit'], [CALL, forgedId()], [NOTIFY, 'hit']]);
      // The old format: a call without its stream entry (the next kind is then its stream list:
      // wrong unless it is HELLO's 0), a record nested as one entry, an object where a kind is due.
      case 11: return [CALL, forgedId(), 'hit', a];
      case 12: return [[CALL, forgedId(), 'hit', a, 0]];
      case 13: return [{ 0: CALL, 1: forgedId(), 2: 'hit', 3: a, 4: 0, length: 5 }];
      default: return [forgedId(), 'hit', a];
    }
  };

  /** Messages of the other kinds, well-formed but naming only forged ids: each must be ignored or answered harmlessly. */
  const forgedAnswer = (): unknown[] =>
    pick<() => unknown[]>([
      () => [RESULT, forgedId(), junk()],
      () => [FAIL, forgedId(), pick<unknown>([{ n: 'Error', m: 'forged' }, { p: 'DATA_CLONE', w: '__proto__' }, junk(), { x: { x: { x: 1 } } }])],
      () => [ABORT, forgedId()],
      () => [STREAM, forgedId(), forgedId()],
      () => [ITEMS, forgedId(), args()],
      () => [END, forgedId()],
      () => [ERROR, forgedId(), junk()],
      () => [PULL, forgedId(), pick([1, 1e9, forgedId()])],
      () => [CANCEL, forgedId()],
      () => [pick([HELLO, READY, PING, PONG])],
      // The right kinds with ids the reader must refuse, whatever they name (each its kind's length).
      () => {
        const kind = pick([RESULT, FAIL, ABORT, END, ERROR, CANCEL, ITEMS, PULL, STREAM]);
        return [kind, badId(), badId()].slice(0, ARITY[kind]);
      },
    ])();

  /** Messages that end reading or shift it: what follows is then read from another place, or not at all. */
  const misaligned = (): unknown[] =>
    pick<() => unknown[]>([
      // A notification has no stream list: its 4th entry is read as the next kind.
      () => [NOTIFY, 'ok', [1, 2], pick<unknown>([[0, forgedId()], PING, HELLO, FORGED, 'x', 16])],
      () => forgedAnswer().slice(0, -1),
      () => [...forgedAnswer(), junk()],
      () => [unknownKind()],
      () => [junk()],
    ])();

  /** What a peer must never act on, here to be found where reading has stopped (if read anyway, tame() defuses it). */
  const bait = (): unknown[] =>
    pick<() => unknown[]>([
      () => [CALL, forgedId(), 'hit', args(), 0],
      () => [NOTIFY, 'hit', args()],
      () => [CLOSE],
      () => [RESULT, 1 + int(20), 'forged result'],
      () => [CALL, 1 + int(20), 'ok', args(), 0],
    ])();

  /** A message for a postMessage this peer reads. */
  const onChannel = (): unknown[] => {
    const r = int(24);
    if (r < 6) return malformedHit();
    if (r < 10) return forgedAnswer();
    if (r < 12) return misaligned();
    if (r < 14) return bait();
    if (r < 18) {
      // A well-formed call or notification of `ok` (forged id; tame() gives its stream ids fresh values).
      const a = args();
      if (int(2)) return [NOTIFY, 'ok', a];
      return [CALL, forgedId(), 'ok', a, a.length && int(2) ? [0, 1] : 0];
    }
    const method = pick(NOT_FOUND);
    // Well-formed, but nothing callable by that name: a call is answered with METHOD_NOT_FOUND (to a
    // forged id), a notification reaches onError.
    return int(2) ? [CALL, forgedId(), method, args(), 0] : [NOTIFY, method, args()];
  };

  /** A message for a postMessage the peer must ignore whole: anything, even what would end or misuse it. */
  const offChannel = (): unknown[] => {
    switch (int(6)) {
      case 0: return int(2) ? [CALL, 1 + int(20), 'hit', args(), 0] : [NOTIFY, 'hit', args()];
      case 1: return [CLOSE];
      case 2: return [RESULT, 1 + int(20), 'forged result'];
      case 3: {
        const kind = pick([ITEMS, END, ERROR]);
        return [kind, 1 + int(5), ['forged item']].slice(0, ARITY[kind]);
      }
      case 4: return [FAIL, 1 + int(20), { n: 'Error', m: 'forged' }];
      default: return onChannel();
    }
  };

  const away = (v: unknown): unknown => (Number.isInteger(v) && (v as number) >= 1 && (v as number) < FORGED ? (v as number) + FORGED : v);

  /**
   * Makes a postMessage this peer reads safe, in place and only in the records it reads (what follows
   * the end of reading stays as made): drops CLOSE and well-formed calls of `hit` (records are
   * self-delimiting, so taking one out leaves the rest read the same), moves ids below FORGED up
   * (the real calls and streams' ids: a forged answer to them on the right channel would be
   * indistinguishable from a real one), and gives the stream ids of calls fresh values (a call naming
   * a stream already being read is dropped whole by design). Kinds are never touched.
   */
  const tame = (wire: unknown[]): void => {
    const { records } = readWire(wire);
    for (let r = records.length - 1; r >= 0; r--) {
      const { at, m } = records[r]!;
      if (isClose(m) || isHit(m)) {
        wire.splice(at, m.length);
        continue;
      }
      if (m.length > 1 && at + 1 in wire) wire[at + 1] = away(wire[at + 1]);
      if (m.length > 2 && at + 2 in wire) wire[at + 2] = away(wire[at + 2]);
      const streams = m[0] === CALL ? wire[at + 4] : undefined;
      if (Array.isArray(streams)) {
        const fresh = new Map<unknown, number>();
        for (let k = 1; k < streams.length; k += 2) {
          if (!isId(streams[k])) continue;
          if (!fresh.has(streams[k])) fresh.set(streams[k], freshStream++);
          streams[k] = fresh.get(streams[k]);
        }
      }
    }
  };

  const MISSING = Symbol('missing');
  const posts: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const r = int(20);
    if (r < 3) {
      // Not a portwire postMessage at all: junk, records without MARK and channel, the old format's
      // envelope, an array-like object.
      posts.push(
        pick<() => unknown>([
          () => junk(),
          () => [CALL, 1, 'hit', [], 0],
          () => ({ portwire: 1, b: [[CALL, 1, 'hit', []]] }),
          () => ({ portwire: 2, ch: 0, b: [[CALL, 1, 'hit', [], 0]] }),
          () => ({ 0: MARK, 1: 0, 2: CALL, 3: 1, 4: 'hit', 5: [], 6: 0, length: 7 }),
        ])(),
      );
      expect.messages++;
      continue;
    }
    const n = 1 + int(12);
    const right = r >= 8;
    let head: unknown[];
    if (right) {
      // -0 === 0: it is the unnamed channel too.
      head = [MARK, int(8) === 0 ? -0 : 0];
    } else if (r < 5) {
      // Another marker (another version, a near miss, none at all), on the unnamed channel or not.
      const mark = pick<unknown>([MISSING, 'portwire:1', 'portwire:3', 'portwire', 'Portwire:2', 'portwire:2 ', 1, 2, '2', '', null, undefined, true, [MARK], { portwire: 2 }]);
      const channel = int(2) ? 0 : pick<unknown>([undefined, '', 'other']);
      head = mark === MISSING ? [channel] : [mark, channel];
    } else {
      // The right marker, another channel. Missing, the first record's kind stands where the
      // channel is due: HELLO's 0 would make it ours, which the reader below sees.
      const channel = pick<unknown>([MISSING, 'other', '', undefined, null, '0', false, NaN, 1, -1, ['x'], {}, 'undefined', 0n, new Number(0)]);
      head = channel === MISSING ? [MARK] : [MARK, channel];
    }
    const records: unknown[][] = [];
    for (let k = 0; k < n; k++) records.push(right ? onChannel() : offChannel());
    // Now and then the last record is an answer to a real call or stream, cut short: it would run
    // past the end, so it is not read (an answer without its value must not settle the call).
    if (right && int(4) === 0) {
      records.push(pick([[RESULT, 1 + int(8)], [FAIL, 1 + int(8)], [ERROR, 1], [STREAM, 1 + int(8)]]));
      expect.cutShort++;
    }
    // Back to back after the head, holes kept; where each message starts. Now and then, nested one
    // per entry as the old batch held them: the first is then no kind, and nothing is read.
    const nested = right && int(30) === 0;
    const wire = head.slice();
    const starts: number[] = [];
    for (const m of records) {
      starts.push(wire.length);
      if (nested) {
        wire.push(m);
        continue;
      }
      const at = wire.length;
      for (let k = 0; k < m.length; k++) if (k in m) wire[at + k] = m[k];
      wire.length = at + m.length;
    }
    if (isOurs(wire)) {
      const { end } = readWire(wire);
      if (end < wire.length) expect.endedEarly++;
      records.forEach((m, k) => {
        if (starts[k]! < end) return;
        if (isHit(m)) expect.afterEndHits++;
        if (isClose(m)) expect.afterEndCloses++;
      });
      tame(wire);
      for (const { m } of readWire(wire).records) {
        expect.read++;
        const called = calledMethod(m);
        if (!called) continue;
        if (called.method === 'ok') expect.ok++;
        else if (called.notify) expect.notFound++;
      }
    } else {
      for (const m of records) {
        if (isHit(m)) expect.offChannelHits++;
        if (isClose(m)) expect.offChannelCloses++;
      }
    }
    // Prototype names as own keys of the array itself (structured clone keeps them), as JSON.parse
    // would make `__proto__`.
    if (int(10) === 0) {
      const key = pick(['__proto__', '__proto__', 'constructor', 'toString', 'prototype']);
      Object.defineProperty(wire, key, { value: junk(), enumerable: true, writable: true, configurable: true });
    }
    posts.push(wire);
    expect.messages += records.length;
  }
  expect.offChannelHits += expect.afterEndHits;
  expect.offChannelCloses += expect.afterEndCloses;
  return { posts, expect };
}

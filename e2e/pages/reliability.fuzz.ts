// Hostile input for e2e/reliability.spec.ts, made the same way in the page and in the worker from a
// seed: a tiny PRNG (mulberry32) and a generator that knows, for every post, what a peer on the
// unnamed channel must do with it. The wire format is spelled out here rather than imported, so the
// test states it on its own: envelope { portwire: 1, ch?, b: [messages] }; a message is a tuple
// whose first entry is its kind.
export const HELLO = 0, READY = 1, CALL = 2, NOTIFY = 3, RESULT = 4, FAIL = 5, ABORT = 6, CLOSE = 7;
export const STREAM = 8, ITEMS = 9, END = 10, ERROR = 11, PULL = 12, CANCEL = 13, PING = 14, PONG = 15;

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

/** What a peer on the unnamed channel must do with a batch of posts. */
export interface Expectation {
  /** Well-formed calls and notifications of `ok` it must run. */
  ok: number;
  /** Well-formed notifications of a name it has no method for: each reaches its onError. */
  notFound: number;
  /** Messages posted (a post that is not an envelope counts as one). */
  messages: number;
  /** Well-formed `hit` calls and CLOSEs posted on envelopes this peer must ignore. */
  offChannelHits: number;
  offChannelCloses: number;
}

export function hostilePosts(seed: number, count: number): { posts: unknown[]; expect: Expectation } {
  const rnd = mulberry32(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  const expect: Expectation = { ok: 0, notFound: 0, messages: 0, offChannelHits: 0, offChannelCloses: 0 };
  /** Where onChannel() counts what a message must cause: `expect`, or scratch for a batch that is ignored. */
  let tally = { ok: 0, notFound: 0 };
  let freshStream = 3 * FORGED;

  const junk = (depth = 0): unknown => {
    switch (int(depth > 1 ? 9 : 13)) {
      case 0: return int(2 ** 31) - 2 ** 30;
      case 1: return pick([NaN, Infinity, -0, 1.5, 2 ** 53, -1, 0]);
      case 2: return pick(['', 'hit', '__proto__', 'portwire', '\u0000', 'x'.repeat(int(300))]);
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
  const badArgs = () => pick<unknown>(['x', {}, null, undefined, 1, { length: 0 }, new Map(), new Set([1])]);
  /** A stream list that is wrong for `argc` arguments. */
  const badStreams = (argc: number) =>
    pick<() => unknown>([
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

  /** A `hit` call or notification that is wrong in a way the guard must catch: it must never run. */
  const malformedHit = (): unknown => {
    const a = args();
    switch (int(13)) {
      case 0: return [CALL, badId(), 'hit', a];
      case 1: return [CALL, forgedId(), badString(), a];
      case 2: return [CALL, forgedId(), 'hit', badArgs()];
      case 3: return [CALL, forgedId(), 'hit', [1, 2], badStreams(2)];
      case 4: return [pick<unknown>([-1, 99, '2', 2.5, null, undefined, [2], 16]), forgedId(), 'hit', a];
      case 5: return [CALL, forgedId(), 'hit'];
      case 6: return [CALL, forgedId()];
      case 7: return [NOTIFY, badString(), a];
      case 8: return [NOTIFY, 'hit', badArgs()];
      case 9: return [NOTIFY, 'hit', [1, 2], pick<unknown>([[0, forgedId()], badStreams(2), [], 0])];
      case 10: return [NOTIFY, forgedId(), 'hit', a];
      case 11: return { 0: CALL, 1: forgedId(), 2: 'hit', 3: a, length: 4 };
      default: {
        const m = [CALL, forgedId(), 'hit', a];
        delete m[pick([1, 2, 3])];
        return m;
      }
    }
  };

  /** Messages of the other kinds, well-formed but naming only forged ids: each must be ignored or answered harmlessly. */
  const forgedAnswer = (): unknown =>
    pick<() => unknown>([
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
      // The right kinds with ids the guard must refuse, whatever they name.
      () => [pick([RESULT, FAIL, ABORT, END, ERROR, CANCEL, ITEMS, PULL, STREAM]), badId(), badId()],
    ])();

  /** A message for an accepted envelope; counts what it must cause. */
  const onChannel = (): unknown => {
    const r = int(20);
    if (r < 7) return malformedHit();
    if (r < 13) return forgedAnswer();
    if (r < 15) return junk();
    if (r < 17) {
      // A well-formed call or notification of `ok` (forged id, fresh stream ids): it runs.
      tally.ok++;
      const a = args();
      if (int(2)) return [NOTIFY, 'ok', a];
      if (a.length && int(2)) return [CALL, forgedId(), 'ok', a, [0, freshStream++]];
      return [CALL, forgedId(), 'ok', a];
    }
    const method = pick(NOT_FOUND);
    if (int(2)) {
      // Well-formed, but nothing callable by that name: answered with METHOD_NOT_FOUND, to a forged id.
      return [CALL, forgedId(), method, args()];
    }
    tally.notFound++;
    return [NOTIFY, method, args()];
  };

  /** A message for an envelope the peer must ignore whole: anything, even what would end or misuse it. */
  const offChannel = (): unknown => {
    switch (int(6)) {
      case 0:
        expect.offChannelHits++;
        return int(2) ? [CALL, 1 + int(20), 'hit', args()] : [NOTIFY, 'hit', args()];
      case 1:
        expect.offChannelCloses++;
        return [CLOSE];
      case 2: return [RESULT, 1 + int(20), 'forged result'];
      case 3: return [pick([ITEMS, END, ERROR]), 1 + int(5), ['forged item']];
      case 4: return [FAIL, 1 + int(20), { n: 'Error', m: 'forged' }];
      default: return onChannel();
    }
  };

  const posts: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const r = int(20);
    if (r < 3) {
      // Not an envelope at all.
      posts.push(r === 0 ? junk() : r === 1 ? [[CALL, 1, 'hit', []]] : { b: [[CALL, 1, 'hit', []]], portwire: undefined });
      expect.messages++;
      continue;
    }
    const n = 1 + int(12);
    const right = r >= 8;
    const envelope: Record<string, unknown> = {};
    if (right) {
      envelope.portwire = 1;
      if (int(8) === 0) envelope.ch = undefined; // an explicit undefined channel is the unnamed one
    } else if (r < 5) {
      // Wrong version, or no version.
      if (int(4)) envelope.portwire = pick<unknown>([0, 2, '1', 1.5, true, null, [1], -1, 1n, 1e9]);
      if (int(2)) envelope.ch = undefined;
    } else {
      // Right version, another channel.
      envelope.portwire = 1;
      envelope.ch = pick<unknown>(['other', '', null, 0, false, ['x'], {}, 'undefined']);
    }
    // A batch that is not an array is ignored whole, however good its messages.
    const notArray = right && int(30) === 0;
    tally = { ok: 0, notFound: 0 };
    const batch: unknown[] = [];
    for (let k = 0; k < n; k++) batch.push(right ? onChannel() : offChannel());
    if (notArray) envelope.b = { ...batch, length: batch.length };
    else {
      envelope.b = batch;
      if (right) {
        expect.ok += tally.ok;
        expect.notFound += tally.notFound;
      }
    }
    // `__proto__` as an own key, as JSON.parse would make it.
    if (int(10) === 0) Object.defineProperty(envelope, '__proto__', { value: junk(), enumerable: true, writable: true, configurable: true });
    posts.push(envelope);
    expect.messages += n;
  }
  return { posts, expect };
}

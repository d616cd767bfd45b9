import { context, createPeer, type MessageEndpoint, type Peer } from '../../src/index';
import { hostilePosts } from './reliability.fuzz';

// The far side of e2e/reliability.spec.ts in a dedicated module worker, on the worker's own scope.
// It records what escapes (uncaught errors, unhandled rejections) so the page can ask for them.

/** What the page answers (see reliability.ts). */
interface PageApi {
  hang(key: string): Promise<never>;
  probe(n: number): string;
  park(key: string): Promise<string>;
}

const escaped: string[] = [];
addEventListener('error', (event) => escaped.push(`error: ${(event as ErrorEvent).message}`));
addEventListener('unhandledrejection', (event) => {
  const reason = (event as PromiseRejectionEvent).reason;
  escaped.push(`unhandledrejection: ${reason instanceof Error ? reason.stack : String(reason)}`);
});

const fn = () => 'functions do not clone';
const sym = Symbol('symbols do not clone');
/** Uncloneable values a worker can make (no DOM here), each in a few disguises. */
const UNCLONEABLE: Array<() => unknown> = [() => fn, () => sym, () => ({ ok: 1, fn }), () => [1, sym], () => new Map([['k', fn]])];

const counts: Record<string, number> = {};
const count = (name: string) => void (counts[name] = (counts[name] ?? 0) + 1);
const state = { aborted: [] as string[], finallyRan: [] as string[], produced: 0 };
const onErrors: Array<{ name: string; code: unknown; message: string }> = [];
const release = new Map<string, () => void>();
const parkedInPage: Array<Promise<string>> = [];
const yieldToLoop = (): Promise<unknown> => new Promise((resolve) => setTimeout(resolve, 0));

const api = {
  add: (a: number, b: number) => a + b,
  echo<T>(value: T): T {
    count('echo');
    return value;
  },
  /** Never answers until aborted (peer close included); records the abort. */
  hang(key: string): Promise<never> {
    const { signal } = context();
    return new Promise((_, reject) => {
      signal.addEventListener('abort', () => {
        state.aborted.push(key);
        reject(signal.reason);
      });
    });
  },
  /** `ms` from now, an uncaught exception in a timer: the worker stays alive, its Worker object fires 'error'. */
  strayErrorIn(ms: number): number {
    setTimeout(() => {
      throw new Error('a stray uncaught error in the worker');
    }, ms);
    return ms;
  },
  /** Calls the page's `hang` `n` times and leaves the calls pending there. */
  callMeBack(n: number): number {
    const { remote } = context<PageApi>();
    for (let i = 0; i < n; i++) remote.hang(`back${i}`).catch(() => {});
    return n;
  },
  async *count(to: number) {
    try {
      for (let i = 0; i < to; i++) {
        state.produced++;
        yield i;
      }
    } finally {
      state.finallyRan.push(`count:${to}`);
    }
  },
  async sum(values: AsyncIterable<number>): Promise<number> {
    let total = 0;
    for await (const value of values) total += value;
    return total;
  },

  // ── uncloneable ──
  result: (which: number) => UNCLONEABLE[which]!(),
  async *items(which: number) {
    try {
      yield 0;
      yield 1;
      yield UNCLONEABLE[which]!();
      yield 3;
    } finally {
      state.finallyRan.push(`items:${which}`);
    }
  },
  async *failsUncloneably() {
    yield 0;
    yield 1;
    throw Object.assign(new Error('carries a function'), { fn });
  },
  throwFunctionProperty() {
    throw Object.assign(new Error('has a function property'), { fn });
  },
  throwSymbol() {
    throw sym;
  },
  throwFunction() {
    throw fn;
  },
  throwFunctionCause() {
    throw new Error('its cause is a function', { cause: fn });
  },
  note(value: unknown) {
    count('note');
    return value;
  },

  // ── hostile input ──
  ok() {
    count('ok');
    return 'ok';
  },
  hit() {
    count('hit');
    return 'hit';
  },
  probe(n: number) {
    count('probe');
    return `worker:${n}`;
  },
  park(key: string) {
    count('park');
    return new Promise<string>((resolve) => release.set(key, () => resolve(key)));
  },
  async *stream(key: string, n: number) {
    for (let i = 0; i < n; i++) yield `${key}:${i}`;
  },
  /** Parks `n` calls in the page (their keys are `W0`…); `settleParkedInPage` awaits them. */
  parkInPage(n: number): number {
    const { remote } = context<PageApi>();
    for (let i = 0; i < n; i++) parkedInPage.push(remote.park(`W${i}`));
    return n;
  },
  settleParkedInPage: () => Promise.all(parkedInPage.splice(0)),
  releaseParked(): number {
    for (const done of release.values()) done();
    const n = release.size;
    release.clear();
    return n;
  },
  /** Calls the page's `probe`. */
  probePage(n: number): Promise<string> {
    const { remote } = context<PageApi>();
    return remote.probe(n) as unknown as Promise<string>;
  },

  // ── load ──
  /** `n` items tagged with the stream's key; yields to the event loop now and then so streams interleave. */
  async *tagged(key: number, n: number) {
    for (let i = 0; i < n; i++) {
      if (i % 32 === 31) await yieldToLoop();
      yield [key, i] as [number, number];
    }
  },
  /** Reads an upload and checks every item carries `key` and comes in order. */
  async checkUpload(key: number, values: AsyncIterable<[number, number]>) {
    let next = 0;
    for await (const [k, i] of values) {
      if (k !== key || i !== next) return { key, ok: false, at: next, got: [k, i] };
      next++;
    }
    return { key, ok: true, count: next };
  },

  /** What this side holds and saw. */
  report() {
    return { stats: peer.stats, closed: peer.closed, counts: { ...counts }, escaped: [...escaped], onErrors: [...onErrors], ...state };
  },
};

export type WorkerApi = typeof api;

const peer: Peer<PageApi> = createPeer<PageApi>(self as unknown as MessageEndpoint, {
  handlers: api,
  timeout: 0,
  onError: (error) => {
    const e = error as { name?: string; code?: unknown; message?: string };
    onErrors.push({ name: String(e?.name), code: e?.code, message: String(e?.message) });
  },
});

// Test hook: tells the page the script has loaded and the peer listens (foreign to the peer: not an
// array that starts with portwire's marker).
postMessage({ reliabilityHook: 'up' });

// Test hook, foreign to the peer (likewise): `{ reliabilityHook: 'hostile', seed, count }`
// makes this side post that many hostile messages raw to the page, then `{ reliabilityHook: 'hostileDone' }`.
addEventListener('message', (event) => {
  const data = (event as MessageEvent).data as { reliabilityHook?: string; seed?: number; count?: number } | null;
  if (!data || typeof data !== 'object') return;
  // `{ reliabilityHook: 'report' }`: what this side holds, even when the page's peer is gone.
  if (data.reliabilityHook === 'report') postMessage({ reliabilityHook: 'report', report: api.report() });
  if (data.reliabilityHook !== 'hostile') return;
  void (async () => {
    const { posts, expect } = hostilePosts(data.seed!, data.count!);
    for (let i = 0; i < posts.length; i++) {
      postMessage(posts[i]);
      // Let real traffic interleave with the hostile posts.
      if (i % 100 === 99) await yieldToLoop();
    }
    postMessage({ reliabilityHook: 'hostileDone', expect });
  })();
});

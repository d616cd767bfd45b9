import { context, createPeer, DataCloneError, PeerClosedError, RemoteError, type Peer, type RemoteIterator } from '../../src/index';
import { hostilePosts, type Expectation } from './reliability.fuzz';
import type { SharedApi } from './reliability.shared';
import type { WorkerApi } from './reliability.worker';

// The page side of e2e/reliability.spec.ts: each scenario runs here against real Workers and
// SharedWorkers and returns plain data describing what happened; the spec asserts on it.

type Stats = Peer['stats'];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds; throws after `ms` so a scenario never hangs the test. */
async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(5);
  }
}

/** How one promise settled, plain enough to cross into the test. */
interface Settled {
  kind: string;
  settled: 'resolved' | 'rejected' | 'still pending';
  name: string;
  code: unknown;
  peerClosed: boolean;
  message: string;
  /** Milliseconds from `t0` to the settlement. */
  ms: number;
}

function settle(kind: string, promise: Promise<unknown>, t0: () => number, deadline: number): Promise<Settled> {
  const describe = (settled: Settled['settled'], value: unknown): Settled => {
    const e = value as { name?: unknown; code?: unknown; message?: unknown } | undefined;
    const rejected = settled === 'rejected';
    return {
      kind,
      settled,
      name: rejected ? String(e?.name) : '',
      code: rejected ? e?.code : undefined,
      peerClosed: value instanceof PeerClosedError,
      message: rejected ? String(e?.message) : String(value),
      ms: performance.now() - t0(),
    };
  };
  let timer: ReturnType<typeof setTimeout>;
  const late = new Promise<Settled>((resolve) => (timer = setTimeout(() => resolve(describe('still pending', undefined)), deadline)));
  return Promise.race([
    promise.then(
      (value) => describe('resolved', value),
      (error) => describe('rejected', error),
    ),
    late,
  ]).finally(() => clearTimeout(timer));
}

const unhandled: string[] = [];
addEventListener('unhandledrejection', (event) => {
  const reason = event.reason;
  unhandled.push(reason instanceof Error ? String(reason.stack) : String(reason));
});

const newWorker = () => new Worker(new URL('./reliability.worker.ts', import.meta.url), { type: 'module' });

/** The next hook message (`{ reliabilityHook: kind }`, foreign to the peer) the worker posts. */
function hook<T = unknown>(worker: Worker, kind: string): Promise<T> {
  return new Promise((resolve) =>
    worker.addEventListener('message', function listener(event) {
      const data = event.data as { reliabilityHook?: string } | null;
      if (data?.reliabilityHook !== kind) return;
      worker.removeEventListener('message', listener);
      resolve(data as T);
    }),
  );
}

/** A worker whose script has loaded: its peer is listening. */
async function bootedWorker(): Promise<Worker> {
  const worker = newWorker();
  await hook(worker, 'up');
  return worker;
}

/** What the worker's side holds, asked outside the peer (which may be closed). */
async function rawReport(worker: Worker): Promise<ReturnType<WorkerApi['report']>> {
  const answer = hook<{ report: ReturnType<WorkerApi['report']> }>(worker, 'report');
  worker.postMessage({ reliabilityHook: 'report' });
  return (await answer).report;
}

/** What the page answers when a worker calls it. */
function pageHandlers(aborted: string[]) {
  return {
    hang(key: string): Promise<never> {
      const { signal } = context();
      return new Promise((_, reject) => {
        signal.addEventListener('abort', () => {
          aborted.push(key);
          reject(signal.reason);
        });
      });
    },
  };
}

// ── 1. dying dedicated Worker ────────────────────────────────────────────────────────────────

/**
 * Puts calls, a download, an upload and calls from the worker in flight, terminates the worker,
 * and reports how every piece of work ended and what the peer holds afterwards.
 */
async function dyingWorker(heartbeat: number) {
  // The heartbeat counts silence from the peer's creation, handshake included: a peer made before
  // the worker's script has loaded (~0.1–0.8 s here, from the dev server) would be declared dead
  // before the worker could answer. So the peer is made once the worker says it is up.
  const created = performance.now();
  const worker = await bootedWorker();
  const bootMs = performance.now() - created;
  const aborted: string[] = [];
  const peer = createPeer<WorkerApi>(worker, { heartbeat, timeout: 0, handlers: pageHandlers(aborted) });
  try {
    if ((await peer.remote.add(1, 2)) !== 3) throw new Error('the worker does not answer');
    const calls = Array.from({ length: 10 }, (_, i) => peer.remote.hang(`h${i}`));
    const iterator = (await peer.remote.$call('count', [1e9], { window: 4 })) as RemoteIterator<number>;
    let downloaded = (await iterator.next()).done ? 0 : 1;
    const download = (async () => {
      for (;;) {
        if ((await iterator.next()).done) return 'ended';
        downloaded++;
      }
    })();
    let uploaded = 0;
    let uploadStopped = false;
    async function* forever() {
      try {
        for (let i = 0; ; i++) {
          await sleep(2);
          uploaded++;
          yield i;
        }
      } finally {
        uploadStopped = true;
      }
    }
    const upload = peer.remote.sum(forever());
    await peer.remote.callMeBack(5);
    await until(() => peer.stats.incoming === 5 && uploaded > 5 && downloaded > 20, 5000, 'work in flight');
    const before = peer.stats;

    let t0 = 0;
    const deadline = 10_000;
    const watched = [
      ...calls.map((call) => settle('call', call, () => t0, deadline)),
      settle('stream next()', download, () => t0, deadline),
      settle('upload call', upload, () => t0, deadline),
    ];
    t0 = performance.now();
    worker.terminate();
    const outcomes = await Promise.all(watched);
    await until(() => uploadStopped, 2000, "the upload generator's finally").catch(() => {});
    return {
      bootMs,
      before,
      outcomes,
      after: peer.stats,
      closed: peer.closed,
      // The stream's next() asked again, and a new call, once the peer is closed.
      nextAgain: await settle('next() again', iterator.next(), () => t0, 1000),
      callAfter: await settle('call after', peer.remote.add(1, 2), () => t0, 1000),
      uploadStopped,
      aborted: aborted.sort(),
      unhandled: [...unhandled],
    };
  } finally {
    peer.close();
    worker.terminate();
  }
}

/**
 * A live worker with work in flight both ways throws a stray uncaught error (in a timer): the
 * browser keeps the worker running but fires 'error' at the Worker object. Reports both sides.
 */
async function strayError() {
  const worker = await bootedWorker();
  const aborted: string[] = [];
  const peer = createPeer<WorkerApi>(worker, { timeout: 0, handlers: pageHandlers(aborted) });
  try {
    const calls = Array.from({ length: 5 }, (_, i) => peer.remote.hang(`s${i}`));
    const iterator = (await peer.remote.$call('count', [1e9], { window: 4 })) as RemoteIterator<number>;
    await iterator.next();
    let errorEvent = '';
    const errored = new Promise<void>((resolve) =>
      worker.addEventListener('error', (event) => {
        errorEvent = event.message;
        event.preventDefault(); // the app handles it, so the browser does not report it on the page too
        resolve();
      }),
    );
    const watched = calls.map((call) => settle('call', call, () => 0, 300));
    await peer.remote.strayErrorIn(20);
    await errored;
    // Time for a close, had the error closed anything, to take effect on both sides.
    await sleep(200);
    const stillAnswers = await peer.remote.add(20, 22);
    const next = await iterator.next();
    const outcomes = await Promise.all(watched);
    const far = await rawReport(worker);
    return {
      errorEvent,
      closed: peer.closed,
      stillAnswers,
      next,
      outcomes: outcomes.map((o) => o.settled),
      near: peer.stats,
      far: { closed: far.closed, stats: far.stats, escaped: far.escaped },
    };
  } finally {
    peer.close();
    worker.terminate();
  }
}

/** A call made at once to a worker that takes 600 ms to expose its handlers, with the given heartbeat. */
async function slowWorker(heartbeat: number) {
  const worker = new Worker(new URL('./reliability.slow.worker.ts', import.meta.url), { type: 'module' });
  const t0 = performance.now();
  const peer = createPeer<{ add(a: number, b: number): number }>(worker, { heartbeat, timeout: 10_000 });
  try {
    const outcome = await settle('call made at once', peer.remote.add(1, 2), () => t0, 10_000);
    return { outcome, closed: peer.closed };
  } finally {
    peer.close();
    worker.terminate();
  }
}

/** A worker whose script fails (throws at top level, or is not found): calls made meanwhile. */
async function failingWorker(which: 'throws' | 'missing') {
  const worker =
    which === 'throws'
      ? new Worker(new URL('./reliability.throws.worker.ts', import.meta.url), { type: 'module' })
      : // Not spelled as new URL(…, import.meta.url), so the dev server does not try to resolve it.
        new Worker(['/e2e/pages/reliability', 'missing.worker.ts'].join('.'), { type: 'module' });
  let errorAt = 0;
  let errorMessage = '';
  worker.addEventListener('error', (event) => {
    errorAt ||= performance.now();
    errorMessage = event.message ?? '';
  });
  const t0 = performance.now();
  const peer = createPeer<{ scale(n: number): number; numbers(): AsyncIterable<number> }>(worker, { timeout: 0 });
  try {
    const deadline = 10_000;
    const outcomes = await Promise.all([
      ...Array.from({ length: 3 }, (_, i) => settle('call', peer.remote.scale(i), () => t0, deadline)),
      settle('stream call', peer.remote.$call('numbers', []), () => t0, deadline),
    ]);
    return {
      outcomes,
      errorEvent: errorAt > 0,
      errorMessage,
      /** From the worker's 'error' event to the last rejection. */
      afterError: errorAt ? Math.max(...outcomes.map((o) => o.ms)) - (errorAt - t0) : -1,
      closed: peer.closed,
      after: peer.stats,
    };
  } finally {
    peer.close();
    worker.terminate();
  }
}

// ── 2. SharedWorker clients ──────────────────────────────────────────────────────────────────

let shared: Peer<SharedApi> | undefined;

/** Connects this page to the SharedWorker named `workerName` and registers as `clientName`. */
async function sharedConnect(workerName: string, clientName: string): Promise<number> {
  const worker = new SharedWorker(new URL('./reliability.shared.ts', import.meta.url), { type: 'module', name: workerName });
  let tick = 0;
  shared = createPeer<SharedApi>(worker.port, {
    timeout: 0,
    handlers: {
      ...pageHandlers([]),
      async *ticks() {
        for (;;) {
          await sleep(5);
          yield tick++;
        }
      },
    },
  });
  return shared.remote.register(clientName);
}

/** Leaves work in flight on this page's connection: the worker calls in, reads from it, and is read from. */
async function sharedHold(): Promise<void> {
  const remote = shared!.remote;
  async function* forever() {
    for (let i = 0; ; i++) {
      await sleep(5);
      yield i;
    }
  }
  remote.upload(forever()).catch(() => {});
  remote.hangHere().catch(() => {});
  await remote.hold(5);
}

const sharedReport = (name: string) => shared!.remote.report(name);

// ── 3. uncloneable values ────────────────────────────────────────────────────────────────────

interface CloneFailure {
  label: string;
  name: string;
  code?: unknown;
  method?: string;
  where?: string;
  rpcCode?: number | undefined;
  causeName?: string | undefined;
  namesMethod?: boolean;
  itemsBefore?: unknown[];
}

async function cloneFailure(label: string, promise: Promise<unknown>, itemsBefore?: unknown[]): Promise<CloneFailure> {
  try {
    const value = await promise;
    return { label, name: `resolved: ${String(value)}` };
  } catch (error) {
    if (!(error instanceof DataCloneError)) {
      const e = error as Error;
      return { label, name: error instanceof RemoteError ? `RemoteError(${error.remoteName}): ${e.message}` : `${e?.name}: ${e?.message}` };
    }
    return {
      label,
      name: error.name,
      code: error.code,
      method: error.method,
      where: error.where,
      rpcCode: error.rpcCode,
      causeName: (error.cause as Error | undefined)?.name,
      namesMethod: error.message.includes(`"${error.method}"`),
      ...(itemsBefore ? { itemsBefore } : {}),
    };
  }
}

async function uncloneable() {
  const worker = newWorker();
  const onErrors: unknown[] = [];
  const peer = createPeer<WorkerApi>(worker, { timeout: 5000, onError: (e) => void onErrors.push(e) });
  try {
    const results: CloneFailure[] = [];
    const fn = () => 'functions do not clone';
    const sym = Symbol('symbols do not clone');
    const canvas = document.createElement('canvas');
    const ARGS: Array<[string, () => unknown]> = [
      ['document.body', () => document.body],
      ['a detached <canvas> element', () => canvas],
      ['a text node', () => document.createTextNode('text')],
      ['an element inside an object', () => ({ ok: 1, el: document.body })],
      ['an element inside a Map', () => new Map([['el', canvas]])],
      ['window', () => window],
      ['an Event', () => new Event('x')],
      ['a function', () => fn],
      ['a symbol', () => sym],
      ['a function inside an array', () => [1, fn]],
    ];
    // page → worker: arguments.
    for (const [label, make] of ARGS) results.push(await cloneFailure(`argument: ${label}`, peer.remote.echo(make())));
    // Calls batched with an uncloneable one in the same turn still go through.
    const batched = await Promise.allSettled([peer.remote.add(1, 2), peer.remote.echo(document.body), peer.remote.add(3, 4)]);
    // page → worker: an upload item, and notifications.
    let uploadStopped = false;
    async function* upload() {
      try {
        yield 1;
        yield 2;
        yield document.body as unknown as number;
        yield 4;
      } finally {
        uploadStopped = true;
      }
    }
    results.push(await cloneFailure('upload item: document.body', peer.remote.sum(upload())));
    peer.remote.$notify('note', document.body);
    peer.remote.$notify('note', fn);
    peer.remote.$notify('note', 'cloneable');
    if ((await peer.remote.add(0, 0)) !== 0) throw new Error('add');

    // worker → page: results, stream items, thrown errors.
    const KINDS = ['a function', 'a symbol', 'a function inside an object', 'a symbol inside an array', 'a function inside a Map'];
    for (let which = 0; which < KINDS.length; which++) results.push(await cloneFailure(`result: ${KINDS[which]}`, peer.remote.result(which)));
    for (let which = 0; which < KINDS.length; which++) {
      const seen: unknown[] = [];
      const reading = (async () => {
        for await (const item of peer.remote.items(which)) seen.push(item);
      })();
      results.push(await cloneFailure(`stream item: ${KINDS[which]}`, reading, seen));
    }
    for (const method of ['throwFunctionProperty', 'throwSymbol', 'throwFunction', 'throwFunctionCause'] as const) {
      results.push(await cloneFailure(`thrown: ${method}`, peer.remote[method]()));
    }
    const seen: unknown[] = [];
    const failing = (async () => {
      for await (const item of peer.remote.failsUncloneably()) seen.push(item);
    })();
    results.push(await cloneFailure('stream error: an Error with a function property', failing, seen));

    // The peer keeps working, and neither side holds anything.
    const echoRuns = (await peer.remote.report()).counts.echo ?? 0;
    const stillWorks = [await peer.remote.add(2, 3), await peer.remote.echo({ a: [1, 'two'] })];
    await until(() => peer.stats.pending === 0, 1000, 'nothing pending').catch(() => {});
    const far = await rawReport(worker);
    return {
      results,
      batched: batched.map((b) => (b.status === 'fulfilled' ? b.value : (b.reason as Error).name)),
      uploadStopped,
      onErrors: onErrors.map((e) => {
        const c = e as DataCloneError;
        return { name: c.name, method: c.method, where: c.where, rpcCode: c.rpcCode };
      }),
      stillWorks,
      near: peer.stats,
      far: { stats: far.stats, echo: echoRuns, note: far.counts.note ?? 0, finallyRan: far.finallyRan, escaped: far.escaped },
      unhandled: [...unhandled],
    };
  } finally {
    peer.close();
    worker.terminate();
  }
}

// ── 4. hostile input ─────────────────────────────────────────────────────────────────────────

async function hostile(seed: number, count: number) {
  const protoBefore = Object.getOwnPropertyNames(Object.prototype).sort().join();
  const worker = newWorker();
  const counts = { ok: 0, hit: 0, probe: 0, park: 0 };
  const release = new Map<string, () => void>();
  const onErrors: Array<{ name: string; code: unknown }> = [];
  const peer = createPeer<WorkerApi>(worker, {
    timeout: 0,
    window: 4,
    onError: (e) => void onErrors.push({ name: (e as Error).name, code: (e as { code?: unknown }).code }),
    handlers: {
      ok: () => void counts.ok++,
      hit: () => void counts.hit++,
      probe: (n: number) => (counts.probe++, `page:${n}`),
      park(key: string) {
        counts.park++;
        return new Promise<string>((resolve) => release.set(key, () => resolve(key)));
      },
    },
  });
  try {
    // Real traffic to forge against: parked calls both ways and a half-read stream.
    const early: string[] = [];
    const parked = Array.from({ length: 5 }, (_, i) => {
      const key = `P${i}`;
      let releasing = false;
      const promise = peer.remote.park(key);
      const settled = () => void (releasing || early.push(key));
      promise.then(settled, settled);
      return { key, promise, release: () => (releasing = true) };
    });
    await peer.remote.parkInPage(5);
    await until(() => release.size === 5, 3000, 'calls parked in the page');
    const iterator = (await peer.remote.$call('stream', ['S', 100], { window: 4 })) as RemoteIterator<string>;
    const firstTwo = [(await iterator.next()).value, (await iterator.next()).value];
    const probesBefore = [await peer.remote.probe(0), await peer.remote.probePage(0)];

    // Both directions at once: the page posts raw to the worker, the worker raw to the page.
    const theirs = new Promise<Expectation>((resolve) =>
      worker.addEventListener('message', (event) => {
        const data = event.data as { reliabilityHook?: string; expect?: Expectation } | null;
        if (data && typeof data === 'object' && data.reliabilityHook === 'hostileDone') resolve(data.expect!);
      }),
    );
    worker.postMessage({ reliabilityHook: 'hostile', seed: seed + 1, count });
    const started = performance.now();
    const mine = hostilePosts(seed, count);
    for (let i = 0; i < mine.posts.length; i++) {
      worker.postMessage(mine.posts[i]);
      if (i % 100 === 99) await sleep(0);
    }
    const toPage = await theirs;
    // Each probe travels behind everything posted that way, so once both are answered, each side
    // has seen every hostile message.
    const probesAfter = [await peer.remote.probe(1), await peer.remote.probePage(1)];
    const ms = performance.now() - started;
    const far = await peer.remote.report();
    const during = {
      pageCounts: { ...counts },
      workerCounts: { ok: far.counts.ok ?? 0, hit: far.counts.hit ?? 0, probe: far.counts.probe ?? 0, park: far.counts.park ?? 0 },
      pageOnErrors: onErrors.slice(),
      workerOnErrors: far.onErrors.map(({ name, code }) => ({ name, code })),
      closed: [peer.closed, far.closed],
      early: early.slice(),
    };

    // Afterwards: every parked call answers with its own value, the stream is intact, nothing is left.
    for (const p of parked) p.release();
    await peer.remote.releaseParked();
    for (const done of release.values()) done();
    const parkedAnswers = [await Promise.all(parked.map((p) => p.promise)), await peer.remote.settleParkedInPage()];
    const rest: string[] = [];
    for await (const item of iterator) rest.push(item);
    await sleep(20);
    const farAfter = await rawReport(worker);
    return {
      expectedByWorker: mine.expect,
      expectedByPage: toPage,
      ms,
      firstTwo,
      probesBefore,
      probesAfter,
      during,
      parkedAnswers,
      rest,
      near: peer.stats,
      far: farAfter.stats,
      workerEscaped: farAfter.escaped,
      unhandled: [...unhandled],
      prototypeUnchanged: Object.getOwnPropertyNames(Object.prototype).sort().join() === protoBefore,
    };
  } finally {
    peer.close();
    worker.terminate();
  }
}

// ── 5. load ──────────────────────────────────────────────────────────────────────────────────

async function load(calls: number, streams: number, downloadItems: number, uploadItems: number) {
  const worker = newWorker();
  const peer = createPeer<WorkerApi>(worker, { timeout: 0 });
  try {
    await peer.remote.add(0, 0);
    // Calls.
    let started = performance.now();
    const promises = Array.from({ length: calls }, (_, i) => peer.remote.echo({ i, tag: `call-${i}` }));
    const pendingAtOnce = peer.stats.pending;
    const results = (await Promise.all(promises)) as Array<{ i: number; tag: string }>;
    const callsMs = performance.now() - started;
    const wrongCalls = results.flatMap((r, i) => (r.i === i && r.tag === `call-${i}` ? [] : [[i, r]])).slice(0, 5);
    const afterCalls = peer.stats;

    // Downloads: windows vary per stream (2…129), so credit top-ups and batches interleave differently.
    started = performance.now();
    const iterators = (await Promise.all(
      Array.from({ length: streams }, (_, key) => peer.remote.$call('tagged', [key, downloadItems], { window: 2 + (key % 128) })),
    )) as Array<RemoteIterator<[number, number]>>;
    const inboxesAtOnce = peer.stats.inboxes;
    let last = -1;
    let switches = 0;
    const lists = await Promise.all(
      iterators.map(async (iterator) => {
        const got: Array<[number, number]> = [];
        for await (const item of iterator) {
          got.push(item);
          if (item[0] !== last) switches++;
          last = item[0];
        }
        return got;
      }),
    );
    const downloadMs = performance.now() - started;
    const crossedDown = lists.flatMap((list, key) =>
      list.length === downloadItems && list.every(([k, i], at) => k === key && i === at) ? [] : [key],
    );

    // Uploads.
    started = performance.now();
    async function* upload(key: number) {
      for (let i = 0; i < uploadItems; i++) {
        if (i % 32 === 31) await sleep(0);
        yield [key, i] as [number, number];
      }
    }
    const answers = Array.from({ length: streams }, (_, key) => peer.remote.checkUpload(key, upload(key)));
    const outboxesAtOnce = peer.stats.outboxes;
    const uploaded = await Promise.all(answers);
    const uploadMs = performance.now() - started;
    const crossedUp = uploaded.filter((a, key) => !(a.ok && a.key === key && a.count === uploadItems));

    await sleep(20);
    const far = await rawReport(worker);
    return {
      pendingAtOnce,
      wrongCalls,
      afterCalls,
      callsMs,
      inboxesAtOnce,
      crossedDown,
      switches,
      downloadMs,
      outboxesAtOnce,
      crossedUp,
      uploadMs,
      near: peer.stats,
      far: far.stats,
      escaped: far.escaped,
      unhandled: [...unhandled],
    };
  } finally {
    peer.close();
    worker.terminate();
  }
}

const rel = { dyingWorker, strayError, slowWorker, failingWorker, sharedConnect, sharedHold, sharedReport, uncloneable, hostile, load };

declare global {
  interface Window {
    rel: typeof rel;
  }
}

window.rel = rel;

import * as P from '../../src/core/protocol';
import { Worker } from 'node:worker_threads';
import { createPeer, type Peer, type PeerOptions } from '../../src/index';
import { startWorker } from '../fixtures/nodeWorker';

// Everything a test opens registers its own cleanup here; each test file runs `afterEach(closeAll)`.
const cleanups: Array<() => unknown> = [];

export function onCleanup(fn: () => unknown): void {
  cleanups.push(fn);
}

/** Closes, in reverse order, every peer, port and worker the test opened. */
export async function closeAll(): Promise<void> {
  for (const fn of cleanups.splice(0).reverse()) await fn();
}

/** A real MessageChannel (Node's global one), closed after the test. */
export function channel(): MessageChannel {
  const ch = new MessageChannel();
  onCleanup(() => {
    ch.port1.close();
    ch.port2.close();
  });
  return ch;
}

/** A peer on `endpoint`, closed after the test. */
export function peer<R = Record<never, never>>(endpoint: MessagePort, options?: PeerOptions): Peer<R> {
  const p = createPeer<R>(endpoint, options);
  onCleanup(() => p.close());
  return p;
}

/**
 * Two peers on one real MessageChannel: `far` answers with `handlers`, `near` calls it through
 * `remote` (typed by the handlers). `near` and `far` take extra peer options; `far.remote` is typed
 * by the near side's handlers, when it has some.
 */
export function pair<H extends object, N extends object = Record<never, never>>(
  handlers: H,
  options: { near?: PeerOptions<N>; far?: Omit<PeerOptions, 'handlers'> } = {},
) {
  const ch = channel();
  const far = peer<N>(ch.port2, { ...options.far, handlers });
  const near = peer<H>(ch.port1, options.near);
  return { near, far, remote: near.remote, port1: ch.port1, port2: ch.port2 };
}

/** A bundled test/fixtures/<name>.worker.ts in a worker thread, terminated after the test. */
export function worker(name: string, workerData?: unknown): Worker {
  const w = startWorker(name, workerData);
  onCleanup(() => w.terminate());
  return w;
}

/** Wraps a real port's postMessage to record every message and transfer list it posts. */
export function recordPosts(port: MessagePort) {
  const posts: Array<{ data: { channel: unknown; b: unknown[][] }; transfer: Transferable[] }> = [];
  const original = port.postMessage.bind(port) as (data: unknown, transfer?: Transferable[]) => void;
  (port as { postMessage: unknown }).postMessage = (data: unknown, transfer: Transferable[] = []) => {
    posts.push({ data: readWire(data), transfer: [...transfer] });
    return original(data, transfer);
  };
  return posts;
}

/** Splits one posted `[MARK, channel, ...records]` into its records, so tests can read messages. */
export function readWire(data: unknown): { channel: unknown; b: unknown[][] } {
  const wire = data as unknown[];
  const b: unknown[][] = [];
  for (let i = 2; i < wire.length; ) {
    const size = (P.ARITY as readonly number[])[wire[i] as number]!;
    b.push(wire.slice(i, (i += size)));
  }
  return { channel: wire[1], b };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds; throws after `ms`. */
export async function eventually(check: () => unknown, ms = 2000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Resolves with `promise`'s outcome, or with 'still pending' if it has not settled within `ms`. */
export function within<T>(promise: Promise<T>, ms = 500): Promise<T | 'still pending'> {
  return Promise.race([promise, sleep(ms).then(() => 'still pending' as const)]);
}

/** Awaits the rejection of `promise` and returns the error (fails if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

/** A deferred promise, for handlers the test answers by hand. */
export function deferred<T = unknown>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Collects an async iterable into an array. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** A generator that counts what it produced and whether its `finally` ran. */
export function tracked(count: number) {
  const state = { produced: 0, finallyRan: false };
  async function* gen() {
    try {
      for (let i = 0; i < count; i++) {
        state.produced++;
        yield i;
      }
    } finally {
      state.finallyRan = true;
    }
  }
  return { state, iterable: gen() };
}

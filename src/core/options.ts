import type { CallContext } from './context.js';

/**
 * Runs around every handler call and notification, in order. Call `next()` to go on (it returns
 * the handler's result, or its promise); return without calling it to answer yourself; throw to fail.
 * @example
 * const log: Middleware = async (ctx, next) => {
 *   const started = performance.now();
 *   try { return await next(); } finally { console.log(ctx.method, performance.now() - started); }
 * };
 */
export type Middleware = (context: CallContext, next: () => unknown) => unknown;

export interface PeerOptions<H extends object = object> {
  /**
   * The methods this side answers: own enumerable functions, namespaces (`a.b`: nested plain
   * objects and class instances), and the methods `class` declarations give an instance.
   * @default undefined (this side only calls)
   * @example createPeer(port, { handlers: { add: (a: number, b: number) => a + b } })
   */
  handlers?: H;
  /**
   * Milliseconds a call may wait for its answer before rejecting with `TimeoutError`; `0` (or
   * `Infinity`) waits forever; at most 2147483647. A stream's timeout covers its start; items then
   * flow at the producer's pace.
   * @default 30000
   * @example createPeer(worker, { timeout: 5000 })
   */
  timeout?: number;
  /**
   * Lets several independent peers share one endpoint: a peer only sees messages of its own channel.
   * @default undefined (the unnamed channel)
   * @example createPeer(worker, { channel: 'images' })
   */
  channel?: string;
  /**
   * Functions wrapped around every incoming call and notification, first one outermost.
   * @default []
   * @example createPeer(port, { handlers, middleware: [auth, log] })
   */
  middleware?: Middleware[];
  /**
   * Receives what cannot be answered to anyone: errors thrown by notification handlers, and
   * notifications that could not be sent or found no method. What it throws is rethrown in a
   * microtask, once the batch has been handled, as an uncaught error: the rest of the batch still runs.
   * @default console.error
   * @example createPeer(port, { onError: (error) => reportToSentry(error) })
   */
  onError?: (error: unknown) => void;
  /**
   * Credit window of streams this side reads: how many items the producer may send ahead.
   * @default 256
   * @example createPeer(worker, { window: 1024 })
   */
  window?: number;
  /**
   * Milliseconds between liveness pings; once the other side has been heard, the peer closes with
   * `PeerClosedError` when it has been silent for three intervals. For endpoints that cannot report
   * their own death (a terminated browser Worker, a crashed SharedWorker client). `0` turns it off.
   *
   * Busy and dead look alike: a worker that computes without letting its event loop turn answers
   * no ping either. Keep three intervals well above the longest synchronous stretch the other side
   * runs (a generator is answered between items; a synchronous call handler only when it returns).
   * To end a Worker yourself, `remote.$terminate()` rejects what is pending at once, with no heartbeat.
   * @default 0
   * @example createPeer(sharedWorker.port, { heartbeat: 1000 })
   */
  heartbeat?: number;
}

/** Per-call options of `$call`. */
export interface CallOptions {
  /** Aborts the call (rejects with `AbortError`) and fires the handler's `context().signal`. */
  signal?: AbortSignal;
  /** Overrides the peer's timeout for this call; `0` waits forever. */
  timeout?: number;
  /** Objects to move instead of copy (ArrayBuffers, ports, streams…). */
  transfer?: Transferable[];
  /** Overrides the peer's stream credit window, when the answer is a stream. */
  window?: number;
}

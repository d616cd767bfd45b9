import type { MethodName, Remote } from '../core/types.js';
import type { Group, GroupOptions, MemberEvents } from '../groups/types.js';

/**
 * Why a worker left a pool:
 * - `exited`: it exited or crashed on its own (worker_threads: its 'exit' or an uncaught error;
 *   browser: an uncaught error in its script, or a script that failed to load). The pool starts
 *   another in its place;
 * - `silent`: with the `heartbeat` option, it stopped answering; the pool terminated it and starts
 *   another;
 * - `idle`: it had no call for `idleTimeout` ms and the pool terminated it;
 * - `closed`: `peer(id).$close()` or `$terminate()` ended it; the pool starts another.
 */
export type PoolLeaveReason = 'exited' | 'silent' | 'idle' | 'closed';

/** The events of a pool: `join` when a worker starts, `leave` (with its reason) when it ends. */
export type PoolEvents = MemberEvents<PoolLeaveReason>;

/** One worker as `pool.stats` shows it. */
export interface WorkerStats {
  /** The worker's id, as in `peers`. */
  id: string;
  /** Its calls waiting for an answer plus its open streams (when streams hold their slot), whoever made them. */
  inFlight: number;
  /** Whether it has said anything yet (its script ran and answered the handshake). */
  ready: boolean;
}

/** A snapshot of a pool's load. */
export interface PoolStats {
  /** Calls waiting in the pool for a free worker. */
  queued: number;
  /** Each running worker, in `peers` order. */
  workers: WorkerStats[];
}

/**
 * Workers addressed as one: `remote` sends each call to the least busy worker, and the pool has the
 * group shape (`peers`, `on`, `peer(id)`, `notify`, `callAll`, `close`), one member per worker.
 * `peer(id)` reaches one worker; its `$close()` and `$terminate()` end that worker (the pool
 * starts another). `close()` terminates every worker: pending and queued calls reject with
 * `PeerClosedError`.
 */
export interface Pool<Api = any> extends Group<Api, PoolEvents> {
  /**
   * Calls made here go to one worker each: a free one now, or the first that frees up (in the
   * order they were made). A call answered with a stream stays on its worker and, by default,
   * holds its slot until the stream ends. Typed and used exactly like one worker's `Remote`:
   * `$call` takes `signal`, `timeout` (counted from when the call was made, time queued
   * included), `transfer` and `window`. `$close()` and `$terminate()` close the pool.
   * @example
   * await workers.remote.resize(image);
   * for await (const tile of workers.remote.tiles(job)) draw(tile);
   */
  readonly remote: Remote<Api>;
  /** The most workers this pool runs at once. */
  readonly size: number;
  /** Calls queued in the pool, and each worker's calls in flight. A fresh snapshot on each read. */
  readonly stats: PoolStats;
}

export interface PoolOptions<Api = any, H extends object = object> extends GroupOptions<H> {
  /**
   * The page's own methods, which the workers call back (`expose(api).remote` there); in them,
   * `context().caller` is the calling worker's id.
   * @default undefined (the page only calls)
   * @example pool(factory, { handlers: { progress: (done: number) => render(done) } })
   */
  handlers?: H;
  /**
   * Milliseconds a call may take, counted from when it was made: time waiting in the pool for a
   * free worker included. One that runs out while waiting leaves the queue and rejects with
   * `TimeoutError`. `0` (or `Infinity`) waits forever; `$call(…, { timeout })` sets it per call.
   * @default 30000
   * @example pool(factory, { timeout: 60_000 })
   */
  timeout?: number;
  /**
   * The most workers running at once.
   * @default the machine's logical cores minus one, at least 1 (`navigator.hardwareConcurrency`; `os.availableParallelism()` in Node)
   * @example pool(factory, { size: 4 })
   */
  size?: number;
  /**
   * Calls a worker runs at once. At 1 a worker busy with a call gets no other until it answers;
   * higher, each call goes to the worker with the fewest in flight (ties in turn). Raise it for
   * handlers that mostly wait (I/O) rather than compute.
   * @default 1
   * @example pool(factory, { concurrency: 4 })
   */
  concurrency?: number;
  /**
   * Starts all `size` workers at once and keeps them: `idleTimeout` does not apply. Otherwise a
   * worker starts when a call finds every running one busy (or when `notify`/`callAll` address
   * "every worker").
   * @default false
   * @example pool(factory, { eager: true })
   */
  eager?: boolean;
  /**
   * Milliseconds a worker of a pool that is not `eager` may sit without calls before the pool
   * terminates it (`leave` with `idle`); the next call that needs it starts a new one. `Infinity`
   * keeps idle workers.
   * @default 30000
   * @example pool(factory, { idleTimeout: 5000 })
   */
  idleTimeout?: number;
  /**
   * Whether a call answered with a stream keeps its worker's slot until the stream ends (read to
   * the end, `break`, abort or error). `false` frees the slot once the stream has started: the
   * worker then takes other calls while it produces, and the stream shares its thread with them.
   * @default true
   * @example pool(factory, { holdStreams: false })
   */
  holdStreams?: boolean;
  /**
   * Methods that are safe to run twice. A call to one of them whose worker dies before it answers
   * goes back to the front of the queue once, to another worker (or the replacement), instead of
   * rejecting with `PeerClosedError`; so does a call whose worker was closed or went silent.
   * Never retried: calls of other methods (they may have run), calls that transfer or upload
   * (their data is gone), a stream once it has started, and a second death.
   * @default [] (nothing is retried)
   * @example pool(factory, { idempotent: ['resize', 'math.hash'] })
   */
  idempotent?: readonly MethodName<Api>[];
  /**
   * Milliseconds between liveness pings to each worker: one that answers none for three intervals
   * is terminated and replaced (`leave` with `silent`). For browser workers that die without a
   * sign (`self.close()`, killed by the browser). A worker busy in a synchronous call answers no
   * ping either: keep three intervals above the longest call.
   * @default 0 (off)
   * @example pool(factory, { heartbeat: 2000 })
   */
  heartbeat?: number;
}

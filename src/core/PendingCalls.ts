import { AbortError } from '../errors/AbortError.js';
import { TimeoutError } from '../errors/TimeoutError.js';
import type { Outbox } from '../streams/Outbox.js';

let making: Pending | undefined;
const settle = (resolve: (value: unknown) => void, reject: (error: unknown) => void): void => {
  making!.resolve = resolve;
  making!.reject = reject;
  making = undefined;
};

/** The promise the caller of `pending` awaits. One executor serves every call: no closure each. */
export const awaiting = (pending: Pending): Promise<unknown> => ((making = pending), new Promise(settle));

/** One call waiting for its answer. */
export class Pending {
  /** When it expires, on the peer's own timeout (unset: its own timer, or none). */
  deadline: number | undefined;
  /** Where its CALL record is queued (0: not queued), and the flush it leaves with: a call given up before that is never sent. */
  at: number | undefined;
  flush!: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  signal: AbortSignal | undefined;
  /** Its streamed arguments. */
  outboxes: Outbox[] | undefined;
  resolve!: (value: unknown) => void;
  reject!: (error: unknown) => void;
  constructor(
    readonly method: string,
    readonly timeout: number,
    readonly window: number,
  ) {}
}

/**
 * The calls a peer waits on, with their timeouts and abort signals. When one times out or is
 * aborted, `giveUp(id, makeError)` is called; `take(id)` removes one and everything watching it.
 */
export class PendingCalls {
  #calls = new Map<number, Pending>();
  #giveUp: (id: number, reason: (method: string) => Error) => void;
  #silence: () => string | undefined;
  #sweeper: ReturnType<typeof setTimeout> | undefined;
  // One 'abort' listener per signal, however many calls share it: adding and removing thousands
  // of listeners on one EventTarget is quadratic.
  #signals = new Map<AbortSignal, Set<number>>();

  /** `silence` explains a timeout when the other side was never heard from (undefined when it was). */
  constructor(giveUp: (id: number, reason: (method: string) => Error) => void, silence: () => string | undefined) {
    this.#giveUp = giveUp;
    this.#silence = silence;
  }

  get size(): number {
    return this.#calls.size;
  }

  ids(): number[] {
    return [...this.#calls.keys()];
  }

  /** Registers a call; `ownTimeout` when its timeout was set per call rather than by the peer. */
  add(id: number, pending: Pending, ownTimeout: boolean, signal: AbortSignal | undefined): void {
    this.#calls.set(id, pending);
    if (pending.timeout > 0) this.#arm(id, pending, ownTimeout);
    if (signal) this.#watch(signal, id, pending);
  }

  take(id: number): Pending | undefined {
    const pending = this.#calls.get(id);
    if (!pending) return undefined;
    this.#calls.delete(id);
    if (pending.timer !== undefined) clearTimeout(pending.timer);
    if (pending.signal) this.#unwatch(pending.signal, id);
    return pending;
  }

  /** Stops the shared timer (the peer closed; every call has been taken). */
  close(): void {
    clearTimeout(this.#sweeper);
  }

  #watch(signal: AbortSignal, id: number, pending: Pending): void {
    pending.signal = signal;
    let ids = this.#signals.get(signal);
    if (!ids) {
      this.#signals.set(signal, (ids = new Set()));
      signal.addEventListener('abort', this.#onAbort);
    }
    ids.add(id);
  }

  #unwatch(signal: AbortSignal, id: number): void {
    const ids = this.#signals.get(signal);
    if (!ids || !ids.delete(id) || ids.size) return;
    this.#signals.delete(signal);
    signal.removeEventListener('abort', this.#onAbort);
  }

  #onAbort = (event: Event): void => {
    const signal = event.target as AbortSignal;
    for (const id of [...(this.#signals.get(signal) ?? [])]) {
      this.#giveUp(id, (method) => new AbortError(method, signal.reason));
    }
  };

  // Calls on the peer's default timeout expire in the order they were made, so one timer (for
  // the oldest) serves them all, and it stays armed when calls settle (re-arming a timer per call
  // costs more than the call): it fires, finds nothing due, and re-arms only for a pending call.
  // A per-call timeout gets its own timer.
  #arm(id: number, pending: Pending, own: boolean): void {
    if (own) {
      pending.timer = setTimeout(this.#expire, pending.timeout, id);
      return;
    }
    pending.deadline = Date.now() + pending.timeout;
    if (this.#sweeper === undefined) this.#rearm(pending.timeout);
  }

  #rearm(ms: number): void {
    this.#sweeper = setTimeout(this.#sweep, Math.min(ms, 2_147_483_647));
    // In Node an idle sweeper must not keep the process alive: the endpoint does that while open.
    (this.#sweeper as { unref?: () => void }).unref?.();
  }

  #expire = (id: number): void => {
    const pending = this.#calls.get(id);
    if (pending) this.#giveUp(id, (method) => new TimeoutError(method, pending.timeout, this.#silence()));
  };

  #sweep = (): void => {
    this.#sweeper = undefined;
    const now = Date.now();
    for (const [id, pending] of this.#calls) {
      if (!pending.deadline) continue;
      if (pending.deadline > now) return this.#rearm(pending.deadline - now);
      this.#expire(id);
    }
  };
}

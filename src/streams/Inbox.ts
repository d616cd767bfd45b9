import { AbortError } from '../errors/AbortError.js';

/** What an inbox asks of its peer. */
export interface InboxLink {
  /** Grant the producer `count` more items. */
  pull(streamId: number, count: number): void;
  /** Tell the producer to stop; forget the stream. */
  cancel(streamId: number): void;
}

interface Waiter {
  resolve(result: IteratorResult<unknown>): void;
  reject(error: unknown): void;
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });
const OPEN = 0;
const ENDED = 1;
const FAILED = 2;
const CANCELLED = 3;

/**
 * The consuming end of one stream: a buffer of at most one credit window, the readers waiting on
 * it, and the credit policy. Grants `window` on the first read, then tops up half a window at a
 * time as items are taken, so the producer is never more than `window` items ahead of the reader.
 */
export class Inbox {
  readonly id: number;
  readonly method: string;
  #window: number;
  #link: InboxLink;
  #buffer: unknown[] = [];
  #head = 0;
  #waiters: Waiter[] = [];
  #state = OPEN;
  #failure: unknown;
  #started: boolean | undefined;
  #taken = 0;
  #unwatch: (() => void) | undefined;

  constructor(id: number, method: string, window: number, link: InboxLink, signal?: AbortSignal) {
    this.id = id;
    this.method = method;
    this.#window = window;
    this.#link = link;
    if (signal) {
      const onAbort = () => this.abort(new AbortError(method, signal.reason));
      if (signal.aborted) queueMicrotask(onAbort);
      else {
        signal.addEventListener('abort', onAbort, { once: true });
        this.#unwatch = () => signal.removeEventListener('abort', onAbort);
      }
    }
  }

  next(): Promise<IteratorResult<unknown>> {
    if (this.#head < this.#buffer.length) {
      const value = this.#buffer[this.#head];
      this.#buffer[this.#head++] = undefined;
      if (this.#head === this.#buffer.length) this.#buffer.length = this.#head = 0;
      this.#took();
      return Promise.resolve({ value, done: false });
    }
    if (this.#state === FAILED) return Promise.reject(this.#failure);
    if (this.#state !== OPEN) return Promise.resolve(DONE);
    if (!this.#started) {
      this.#started = true;
      this.#link.pull(this.id, this.#window);
    }
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** The reader is done (`break`, `return()`): stop the producer, drop what is buffered. */
  return(): Promise<IteratorResult<unknown>> {
    if (this.#state === OPEN) {
      this.#finish(CANCELLED);
      this.#link.cancel(this.id);
      for (const waiter of this.#waiters.splice(0)) waiter.resolve(DONE);
    }
    this.#buffer.length = this.#head = 0;
    return Promise.resolve(DONE);
  }

  /** Items from the producer, in order. */
  deliver(items: unknown[]): void {
    if (this.#state !== OPEN) return;
    // The length is read once: `items` may be the buffer itself, if a sender sent one array twice.
    for (let i = 0, n = items.length; i < n; i++) {
      const waiter = this.#waiters.shift();
      if (waiter) {
        waiter.resolve({ value: items[i], done: false });
        this.#took();
      } else if (!this.#buffer.length) {
        // Nothing buffered: read the rest in place, with no copy.
        this.#buffer = items;
        this.#head = i;
        return;
      } else this.#buffer.push(items[i]);
    }
  }

  /** The producer finished: buffered items are still read first. */
  end(): void {
    if (this.#state !== OPEN) return;
    this.#finish(ENDED);
    for (const waiter of this.#waiters.splice(0)) waiter.resolve(DONE);
  }

  /** The producer failed: buffered items are still read first, then `error`. */
  fail(error: unknown): void {
    if (this.#state !== OPEN) return;
    this.#finish(FAILED, error);
    for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
  }

  /** Stops at once (abort, peer gone): drops what is buffered; readers get `error`. */
  abort(error: unknown): void {
    if (this.#state !== OPEN) return;
    this.#buffer.length = this.#head = 0;
    this.fail(error);
    this.#link.cancel(this.id);
  }

  #finish(state: number, failure?: unknown): void {
    this.#state = state;
    this.#failure = failure;
    this.#unwatch?.();
    this.#unwatch = undefined;
  }

  #took(): void {
    if (++this.#taken >= (this.#window + 1) >> 1 && this.#state === OPEN) {
      this.#link.pull(this.id, this.#taken);
      this.#taken = 0;
    }
  }
}

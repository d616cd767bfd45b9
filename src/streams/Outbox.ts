import { AbortError } from '../errors/AbortError.js';
import { swapContext, type CallContext } from '../core/context.js';

/** What an outbox asks of its peer. */
export interface OutboxLink {
  item(streamId: number, value: unknown): void;
  end(streamId: number): void;
  fail(streamId: number, error: unknown): void;
  /** +1 while a producer is pulling items in a burst, −1 when it stops: the peer holds its flush meanwhile. */
  pumping(delta: number): void;
  finished(outbox: Outbox): void;
}

const noop = () => {};

/**
 * How long a producer may run without letting the event loop turn, in ms. A generator that
 * computes between its `yield`s resumes on microtasks, so without a turn nothing it produced
 * leaves and no CANCEL, CLOSE or PING reaches it. Fast producers never reach this within a
 * window of credit; a slow one yields to the event loop after each item past it.
 */
const SLICE = 4;
/**
 * Reading the clock costs a third of what producing an item does, so while items come within the
 * slice's first millisecond the clock is read every STRIDE items; after that, after every item.
 */
const STRIDE = 8;

/** Resolves after one task: queued messages (a CANCEL, a PING) are handled first. */
const nextTask: () => Promise<void> =
  typeof setImmediate === 'function'
    ? () => new Promise((resolve) => setImmediate(resolve))
    : () =>
        new Promise((resolve) => {
          // A channel per turn: it is closed once it has served, so nothing keeps it alive.
          const { port1, port2 } = new MessageChannel();
          port1.onmessage = () => {
            port1.close();
            resolve();
          };
          port2.postMessage(0);
        });

/**
 * The producing end of one stream: pulls from the local iterator only while the consumer has
 * granted credit, so the producer never runs ahead of the window.
 */
export class Outbox {
  readonly id: number;
  #iterator: AsyncIterator<unknown>;
  #link: OutboxLink;
  #credit = 0;
  #running: boolean | undefined;
  #done: boolean | undefined;
  /** When the current slice of the producer's time began; items until the clock is read again. */
  #since!: number;
  #left = 1;
  #ctx: CallContext | undefined;

  constructor(id: number, iterable: AsyncIterable<unknown>, link: OutboxLink, ctx?: CallContext) {
    this.id = id;
    this.#link = link;
    this.#ctx = ctx;
    this.#iterator = iterable[Symbol.asyncIterator]();
  }

  grant(count: number): void {
    if (this.#done) return;
    this.#credit += count;
    if (!this.#running) this.#pump();
  }

  /**
   * Stop: fires the handler's `context().signal` with `reason` and runs the iterator's `return()`
   * (the generator's `finally`).
   */
  cancel(reason?: unknown): void {
    if (this.#done) return;
    this.#finish();
    this.#ctx?.abort(reason ?? new AbortError(this.#ctx.method));
    try {
      // Its promise (a rejected one too) has nobody to tell either.
      Promise.resolve(this.#iterator.return?.()).then(noop, noop);
    } catch {
      // a throwing return() has nobody to report to: the consumer asked to stop.
    }
  }

  // The work is in methods; only the iterator's promises call back through this outbox's own
  // closures. Optimized code that calls a method serves every stream, while code that calls one
  // outbox's closure holds that outbox, and is thrown away when the outbox is collected.
  #onTook = (result: IteratorResult<unknown>): void => this.#took(result);
  #onFailed = (error: unknown): void => this.#failed(error);

  // One item at a time while there is credit, by callbacks: a loop of `await`s costs more per item.
  #pump(): void {
    this.#running = true;
    this.#link.pumping(1);
    this.#since = Date.now();
    this.#left = 1;
    this.#took();
  }

  #took(result?: IteratorResult<unknown>): void {
    try {
      if (result && !this.#done) {
        if (result.done) {
          this.#finish();
          this.#link.end(this.id);
        } else {
          this.#credit--;
          this.#link.item(this.id, result.value);
          if (!--this.#left) {
            // Date.now: cheaper than performance.now in Node; a clock set back counts as a slice.
            const elapsed = Date.now() - this.#since;
            if ((elapsed >= SLICE || elapsed < 0) && this.#credit > 0) {
              // Ending the burst lets what is held leave now; the task lets a CANCEL land.
              this.#link.pumping(-1);
              return void nextTask().then(() => this.#pump());
            }
            this.#left = elapsed ? 1 : STRIDE;
          }
        }
      }
      if (this.#credit > 0 && !this.#done) return void this.#next().then(this.#onTook, this.#onFailed);
    } catch (error) {
      return this.#failed(error);
    }
    // No credit, or done: the burst ends.
    this.#running = false;
    this.#link.pumping(-1);
  }

  #failed(error: unknown): void {
    if (!this.#done) {
      this.#finish();
      this.#link.fail(this.id, error);
    }
    this.#took();
  }

  // A generator handler's body runs here, not in the call: give it the call's context too.
  #next(): Promise<IteratorResult<unknown>> {
    const previous = swapContext(this.#ctx);
    try {
      return Promise.resolve(this.#iterator.next());
    } finally {
      swapContext(previous);
    }
  }

  #finish(): void {
    this.#done = true;
    this.#link.finished(this);
    // The argument streams of the call that returned this one end with it.
    const linked = this.#ctx?.inboxes;
    if (linked) for (const stream of linked) void stream.return();
  }
}

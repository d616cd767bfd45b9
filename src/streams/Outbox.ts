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
 * The producing end of one stream: pulls from the local iterator only while the consumer has
 * granted credit, so the producer never runs ahead of the window.
 */
export class Outbox {
  readonly id: number;
  #iterator: AsyncIterator<unknown>;
  #link: OutboxLink;
  #credit = 0;
  #running = false;
  #done = false;
  #ctx: CallContext | undefined;
  /** Streams to cancel when this one finishes (argument streams of the call that returned it). */
  linked: Array<{ return(): unknown }> | undefined;

  constructor(id: number, iterable: AsyncIterable<unknown>, link: OutboxLink, ctx?: CallContext) {
    this.id = id;
    this.#link = link;
    this.#ctx = ctx;
    this.#iterator = iterable[Symbol.asyncIterator]();
  }

  grant(count: number): void {
    if (this.#done) return;
    this.#credit += count;
    if (!this.#running) void this.#pump();
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
      const result = this.#iterator.return?.();
      if (result && typeof result.then === 'function') result.then(noop, noop);
    } catch {
      // a throwing return() has nobody to report to: the consumer asked to stop.
    }
  }

  async #pump(): Promise<void> {
    this.#running = true;
    this.#link.pumping(1);
    try {
      while (this.#credit > 0 && !this.#done) {
        const result = await this.#next();
        if (this.#done) break;
        if (result.done) {
          this.#finish();
          this.#link.end(this.id);
        } else {
          this.#credit--;
          this.#link.item(this.id, result.value);
        }
      }
    } catch (error) {
      if (!this.#done) {
        this.#finish();
        this.#link.fail(this.id, error);
      }
    } finally {
      this.#running = false;
      this.#link.pumping(-1);
    }
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
    if (this.linked) for (const stream of this.linked) void stream.return();
  }
}

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

/** Resolves after one task: queued messages (a CANCEL, a PING) are handled first. */
const nextTask: () => Promise<void> =
  typeof setImmediate === 'function'
    ? () => new Promise((resolve) => setImmediate(resolve))
    : (() => {
        let channel: MessageChannel | undefined;
        const waiting: Array<() => void> = [];
        return () =>
          new Promise<void>((resolve) => {
            if (!channel) {
              channel = new MessageChannel();
              channel.port1.onmessage = () => waiting.shift()?.();
            }
            waiting.push(resolve);
            channel.port2.postMessage(0);
          });
      })();

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
    // Date.now: cheaper per item than performance.now in Node; a clock set back counts as a slice.
    let since = Date.now();
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
          const elapsed = Date.now() - since;
          if ((elapsed >= SLICE || elapsed < 0) && this.#credit > 0) {
            // Ending the burst lets what is held leave now; the task lets a CANCEL land.
            this.#link.pumping(-1);
            await nextTask();
            this.#link.pumping(1);
            since = Date.now();
          }
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

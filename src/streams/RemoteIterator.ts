import type { Inbox } from './Inbox.js';

// A reader dropped without return() is collected; the registry then tells the producer to stop.
const registry =
  typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<Inbox>((inbox) => void inbox.return()) : undefined;

/**
 * What the caller iterates: `for await (const item of iterator)`. `break` or `return()` stops the
 * producer on the other side (its `finally` runs); dropping it unread releases the producer when
 * the iterator is garbage-collected, or when the peer closes.
 */
export class RemoteIterator<T> implements AsyncIterableIterator<T> {
  #inbox: Inbox;

  constructor(inbox: Inbox) {
    this.#inbox = inbox;
    registry?.register(this, inbox, inbox);
  }

  next(): Promise<IteratorResult<T, undefined>> {
    return this.#inbox.next() as Promise<IteratorResult<T, undefined>>;
  }

  return(): Promise<IteratorResult<T, undefined>> {
    registry?.unregister(this.#inbox);
    return this.#inbox.return() as Promise<IteratorResult<T, undefined>>;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

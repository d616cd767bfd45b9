// A reader dropped without return() is collected: its producer is stopped and its slot freed.
// (Marked pure: a bundler drops it from apps that never make a pool.)
const registry =
  typeof FinalizationRegistry === 'function'
    ? /* @__PURE__ */ new FinalizationRegistry<{ inner: AsyncIterator<unknown>; end: () => void }>(({ inner, end }) => {
        void inner.return?.();
        end();
      })
    : undefined;

/**
 * A stream answered by a pool's worker, as its caller iterates it: the worker's slot is held until
 * the stream ends (read to its end, failed, left by `break` / `return()`, or aborted, read or not).
 */
export class HeldStream<T> implements AsyncIterableIterator<T> {
  #inner: AsyncIterator<T>;
  #end: () => void;

  constructor(inner: AsyncIterator<T>, release: () => void, signal: AbortSignal | undefined) {
    this.#inner = inner;
    // Nothing here refers to the stream itself, so neither the registry nor a long-lived signal
    // keeps a dropped one from being collected.
    const token = {};
    let held = true;
    const end = () => {
      if (!held) return;
      held = false;
      signal?.removeEventListener('abort', end);
      registry?.unregister(token);
      release();
    };
    this.#end = end;
    // The stream's own listener on the signal came first and has already ended it here.
    if (signal?.aborted) queueMicrotask(end);
    else signal?.addEventListener('abort', end);
    registry?.register(this, { inner, end }, token);
  }

  next(): Promise<IteratorResult<T, undefined>> {
    return this.#inner.next().then(
      (result) => {
        if (result.done) this.#end();
        return result as IteratorResult<T, undefined>;
      },
      (error: unknown) => {
        this.#end();
        throw error;
      },
    );
  }

  return(): Promise<IteratorResult<T, undefined>> {
    const done = this.#inner.return!() as Promise<IteratorResult<T, undefined>>;
    this.#end();
    return done;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

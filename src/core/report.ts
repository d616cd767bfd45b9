/**
 * An `onError` option made safe to call in the middle of a batch: the default logs, and what the
 * app's own throws is rethrown on its own in a microtask, once the batch has been handled (an
 * uncaught error, as from an event listener), so it cannot stop the rest of the batch, the other
 * listeners or the pool's upkeep. A microtask, not a timer: fake timers must not hold it back.
 */
export const reporter =
  (onError: ((error: unknown) => void) | undefined) =>
  (error: unknown): void => {
    try {
      if (onError) onError(error);
      else console.error(error);
    } catch (thrown) {
      queueMicrotask(() => {
        throw thrown;
      });
    }
  };

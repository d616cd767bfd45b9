/**
 * Records what escapes to the process while a test runs: uncaught exceptions (a throw out of a
 * 'message' listener lands here) and unhandled rejections. Vitest would report them too, but only
 * after the test; recording them lets a test assert on them at the moment it matters.
 */
export function watchProcess() {
  const escaped: Array<{ kind: string; error: unknown }> = [];
  const onRejection = (error: unknown) => escaped.push({ kind: 'unhandledRejection', error });
  const onException = (error: unknown) => escaped.push({ kind: 'uncaughtException', error });
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return {
    escaped,
    /** A one-line description of what escaped, for assertion messages. */
    describe: () => escaped.map(({ kind, error }) => `${kind}: ${error instanceof Error ? error.stack : String(error)}`).join('\n'),
    stop() {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Active timers of this thread (Node's own count: setTimeout and setInterval handles). */
export const activeTimers = (): number => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

/** A peer's `stats` with every count at zero. */
export const EMPTY_STATS = { pending: 0, incoming: 0, inboxes: 0, outboxes: 0, uploads: 0, queued: 0 };

/** Polls `check` until it is true or `ms` pass; returns whether it became true. */
export async function waitFor(check: () => boolean, ms: number, step = 5): Promise<boolean> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) return false;
    await sleep(step);
  }
  return true;
}

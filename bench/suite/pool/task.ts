// The pool scenario's unit of work: a CPU-bound task of a fixed length, the same in every
// contender. It spins on the clock rather than counting iterations, so a task costs the same
// wall time whatever the CPU, and any time beyond it is the dispatcher's.

/** Computes for `ms` without letting the event loop turn; returns the milliseconds it took. */
export function task(ms: number): number {
  const start = performance.now();
  let now = start;
  while (now - start < ms) now = performance.now();
  return now - start;
}

export const taskApi = { task };
export type TaskApi = typeof taskApi;

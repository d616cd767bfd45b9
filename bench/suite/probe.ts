// Slots of a SharedArrayBuffer both threads see: how far a stream's producer runs ahead of what the
// consumer has actually handled, and whether the worker's side of an echo was moved rather than copied.
// Tracking costs a cross-core cache miss per item, so it runs in its own untimed pass (PROBING = 1).
export const CONSUMED = 0;
export const AHEAD = 1;
export const ECHO_MOVED = 2;
export const PROBING = 3;
export const PROBE_BYTES = 16;

const untracked = (): void => {};

/** Producer side: call with the count produced so far, once per item. */
export function trackAhead(shared: Int32Array): (produced: number) => void {
  if (Atomics.load(shared, PROBING) !== 1) return untracked;
  let max = 0;
  return (produced) => {
    const ahead = produced - Atomics.load(shared, CONSUMED);
    if (ahead > max) {
      max = ahead;
      Atomics.store(shared, AHEAD, ahead);
    }
  };
}

/** Worker side of an echo: once the reply has left, records whether `buffer` was detached (moved). */
export function noteEcho(shared: Int32Array, buffer: ArrayBuffer): void {
  setTimeout(() => Atomics.store(shared, ECHO_MOVED, buffer.byteLength === 0 ? 1 : 0), 0);
}

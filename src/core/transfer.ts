const marks = new WeakMap<object, Transferable[]>();
let anyMarked = false;

/**
 * Marks `value` to be sent with `transferables` moved (zero-copy) instead of copied. Works for call
 * arguments, handler results and stream items; the original becomes unusable on the sending side.
 * @example
 * await remote.digest(transfer(buffer, [buffer]));
 */
export function transfer<T extends object>(value: T, transferables: Transferable[]): T {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) {
    throw new TypeError('portwire: transfer() marks an object; wrap primitives in one');
  }
  marks.set(value, transferables);
  anyMarked = true;
  return value;
}

/** The transfer list marked on `value`, taken once. */
export function takeTransfer(value: unknown): Transferable[] | undefined {
  if (!anyMarked || typeof value !== 'object' || value === null) return undefined;
  const list = marks.get(value);
  if (list) marks.delete(value);
  return list;
}

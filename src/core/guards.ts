import * as P from './protocol.js';

const isId = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

/** True when `data` is a portwire postMessage of this version for `channel` (0: unnamed). */
export const isWire = (data: unknown, channel: string | 0): data is P.Wire =>
  Array.isArray(data) && data[0] === P.MARK && data[1] === channel;

/** [argIndex, streamId, …] with indices inside the argument list and no index or id twice. */
function isArgStreams(value: unknown, argc: number): value is P.ArgStreams {
  if (!Array.isArray(value) || value.length === 0 || value.length % 2 !== 0) return false;
  const seen = new Set<unknown>();
  for (let i = 0; i < value.length; i += 2) {
    const index = value[i];
    if (!Number.isInteger(index) || index < 0 || index >= argc || !isId(value[i + 1])) return false;
    if (seen.has(index) || seen.has(-value[i + 1])) return false;
    seen.add(index).add(-value[i + 1]);
  }
  return true;
}

/**
 * True when the record at `d[at]` (its kind) has the shape its kind promises; anything else is
 * dropped unread. Records are read in place, inside the wire array: copying each one out would
 * cost an array per message. Ids that are only looked up (those of RESULT, FAIL, ABORT, ITEMS,
 * END, ERROR, PULL and CANCEL) need no check: what is not one of this side's ids finds nothing.
 */
export function isMessage(d: unknown[], at: number): boolean {
  const a = d[at + 1];
  const b = d[at + 2];
  switch (d[at]) {
    case P.CALL: {
      const args = d[at + 3];
      return isId(a) && typeof b === 'string' && Array.isArray(args) && (d[at + 4] === 0 || isArgStreams(d[at + 4], args.length));
    }
    case P.NOTIFY:
      return typeof a === 'string' && Array.isArray(b);
    case P.STREAM:
      return isId(a) && isId(b);
    case P.PULL:
      return isId(b);
    case P.ITEMS:
      return Array.isArray(b);
    default:
      return true;
  }
}

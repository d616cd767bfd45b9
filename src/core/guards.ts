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

/** True when `m` has the shape its kind promises; anything else is dropped unread. */
export function isMessage(m: unknown): m is P.Message {
  if (!Array.isArray(m)) return false;
  switch (m[0]) {
    case P.HELLO:
    case P.READY:
    case P.CLOSE:
    case P.PING:
    case P.PONG:
      return true;
    case P.CALL:
      return isId(m[1]) && typeof m[2] === 'string' && Array.isArray(m[3]) && (m[4] === 0 || isArgStreams(m[4], m[3].length));
    case P.NOTIFY:
      return typeof m[1] === 'string' && Array.isArray(m[2]);
    case P.RESULT:
    case P.FAIL:
    case P.ABORT:
    case P.END:
    case P.ERROR:
    case P.CANCEL:
      return isId(m[1]);
    case P.STREAM:
    case P.PULL:
      return isId(m[1]) && isId(m[2]);
    case P.ITEMS:
      return isId(m[1]) && Array.isArray(m[2]);
    default:
      return false;
  }
}

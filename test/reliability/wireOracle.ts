// The wire format as the hostile-input suites (Node and browser) read it, written out here rather
// than imported from src, so the tests state it on their own.
//
// One postMessage is one flat array, [MARK, channel, ...records]:
// - MARK is 'portwire:2' (marker and version in one); anything else at index 0 makes the whole
//   postMessage foreign;
// - channel is the channel's name, or the number 0 for the unnamed channel; a postMessage whose
//   index 1 is not (===) the reader's channel is ignored whole;
// - each record is a kind followed by exactly that kind's fields: ARITY[kind] entries in all. There
//   is no record boundary on the wire other than that count.
// A reader starts at index 2. An entry where a kind is due that is not a known kind, or a record
// that would run past the end, ends the batch: nothing after it can be found again, so it is all
// dropped. A record of a known kind whose fields have the wrong types is skipped, and reading goes
// on right after it.
export const MARK = 'portwire:2';
export const HELLO = 0, READY = 1, CALL = 2, NOTIFY = 3, RESULT = 4, FAIL = 5, ABORT = 6, CLOSE = 7;
export const STREAM = 8, ITEMS = 9, END = 10, ERROR = 11, PULL = 12, CANCEL = 13, PING = 14, PONG = 15;
/**
 * Entries per record, the kind included, indexed by kind: [HELLO] [READY]
 * [CALL, id, method, args, streams] (streams: [argIndex, streamId, …], or 0 for none)
 * [NOTIFY, method, args] (no stream list: an entry after args is the next record's kind)
 * [RESULT, id, value] [FAIL, id, error] [ABORT, id] [CLOSE] [STREAM, callId, streamId]
 * [ITEMS, streamId, items] [END, streamId] [ERROR, streamId, error] [PULL, streamId, count]
 * [CANCEL, streamId] [PING] [PONG].
 */
export const ARITY = [1, 1, 5, 3, 3, 3, 2, 1, 3, 3, 2, 3, 3, 2, 1, 1];

export const isId = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

/** The number of entries of a record starting with `kind`; undefined when `kind` is no kind at all. */
export const arity = (kind: unknown): number | undefined =>
  Number.isInteger(kind) && (kind as number) >= 0 && (kind as number) < ARITY.length ? ARITY[kind as number] : undefined;

export function isStreamList(list: unknown, argc: number): boolean {
  if (!Array.isArray(list) || list.length === 0 || list.length % 2 !== 0) return false;
  const indices = new Set<unknown>();
  const ids = new Set<unknown>();
  for (let i = 0; i < list.length; i += 2) {
    const at = list[i];
    const id = list[i + 1];
    if (!Number.isInteger(at) || (at as number) < 0 || (at as number) >= argc || !isId(id)) return false;
    if (indices.has(at) || ids.has(id)) return false;
    indices.add(at);
    ids.add(id);
  }
  return true;
}

/** The method record `m` calls when it is a well-formed call or notification; undefined otherwise. */
export function calledMethod(m: unknown[]): { method: string; notify: boolean } | undefined {
  if (m[0] === CALL && isId(m[1]) && typeof m[2] === 'string' && Array.isArray(m[3])) {
    if (m[4] === 0 || isStreamList(m[4], m[3].length)) return { method: m[2], notify: false };
  }
  if (m[0] === NOTIFY && typeof m[1] === 'string' && Array.isArray(m[2])) return { method: m[1], notify: true };
  return undefined;
}

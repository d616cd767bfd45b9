import { DataCloneError, type CloneSite } from './DataCloneError.js';
import { MethodNotFoundError } from './MethodNotFoundError.js';
import { RemoteError } from './RemoteError.js';

/**
 * An error as it travels: plain data, so structured clone carries it the same way everywhere.
 * `p` marks an error the dispatcher itself raised (not the handler), rebuilt as its own class.
 */
export interface WireError {
  n: string;
  m: string;
  s?: string;
  c?: unknown;
  d?: Record<string, unknown>;
  x?: WireError;
  v?: unknown;
  nv?: 1;
  p?: string;
  w?: string;
}

const MAX_DEPTH = 8;
const RESERVED = new Set(['name', 'message', 'stack', 'cause', 'code']);
const str = (v: unknown, fallback: string): string => (typeof v === 'string' ? v : fallback);

const isErrorLike = (value: unknown): value is Error =>
  value instanceof Error || Object.prototype.toString.call(value) === '[object Error]';

/** Turns what a handler threw into plain data. Uncloneable data properties surface at send time. */
export function serializeError(value: unknown, depth = 0): WireError {
  if (!isErrorLike(value)) return { n: 'NonError', m: `threw a non-Error value: ${preview(value)}`, v: value, nv: 1 };
  const wire: WireError = { n: str(value.name, 'Error'), m: str(value.message, '') };
  if (typeof value.stack === 'string') wire.s = value.stack;
  const own = value as unknown as Record<string, unknown>;
  if ('code' in value) wire.c = own.code;
  if ('cause' in value && depth < MAX_DEPTH) wire.x = serializeError(value.cause, depth + 1);
  let data: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    if (RESERVED.has(key)) continue;
    (data ??= {})[key] = own[key];
  }
  if (data) wire.d = data;
  return wire;
}

/** An error the dispatcher itself raised; the caller rebuilds it as its own class with its own method name. */
export const protocolError = (code: 'METHOD_NOT_FOUND' | 'DATA_CLONE', error: unknown, where?: string): WireError => {
  const wire: WireError = { n: 'Error', m: error instanceof Error ? error.message : '', p: code };
  if (where) wire.w = where;
  return wire;
};

/** Rebuilds a received error for a call to `method`. Never throws, whatever arrives. */
export function deserializeError(wire: unknown, method: string, depth = 0): Error {
  const w = (typeof wire === 'object' && wire !== null ? wire : {}) as Partial<WireError>;
  if (w.p === 'METHOD_NOT_FOUND') return new MethodNotFoundError(method);
  if (w.p === 'DATA_CLONE') return new DataCloneError(method, str(w.w, 'result') as CloneSite, new Error(str(w.m, '')));
  const hasCause = 'x' in w && depth < MAX_DEPTH;
  return new RemoteError({
    name: str(w.n, 'Error'),
    message: str(w.m, ''),
    stack: typeof w.s === 'string' ? w.s : undefined,
    code: w.c,
    data: typeof w.d === 'object' && w.d !== null ? w.d : undefined,
    value: w.nv === 1 ? w.v : undefined,
    hasCause,
    // A cause that was not an Error (a string, a plain object) comes back as the value itself.
    cause: hasCause ? (w.x?.nv === 1 ? w.x.v : deserializeError(w.x, method, depth + 1)) : undefined,
  });
}

function preview(value: unknown): string {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}


import { MARK } from '../core/protocol.js';
import { PortwireError } from '../errors/PortwireError.js';
import type { GroupIgnoredReason } from './types.js';

/** Marks every group record on a BroadcastChannel, in every protocol version. */
export const GROUP = 'portwire.group';

/**
 * The protocol this build speaks on a group channel: the core wire version its links carry,
 * and the presence protocol's own revision. Any incompatible change to either changes it.
 */
export const VERSION = `${MARK}/presence:2`;

/**
 * What a member posts on the group's BroadcastChannel. The outer shape never changes between
 * versions, so members of two deploys can tell each other apart from silence: `pw`, `v`, `from`,
 * `kind`, and for the kinds `hello`, `here`, `ping`, `pong`, `bye` and `lead` their meaning and
 * their `to` and `lead` fields. The other kinds (`beat`, `gone`, `msg`, `msgs`) belong to this version.
 */
export interface GroupRecord {
  pw: typeof GROUP;
  v: string;
  /** The sender's member id. */
  from: string;
  kind: Kind;
  /**
   * The member it is addressed to (the kinds `here`, `ping`, `pong`, `gone`, `msg`); on `msgs`,
   * the member each message of `data` is for, in order (a member may appear more than once).
   */
  to?: string | string[];
  /** On `hello` and `here`: the sender holds the leader lock. */
  lead?: boolean;
  /**
   * On `msg`: the message of the link between the two members, untouched. On `msgs`: one such
   * message per entry of `to`, posted together (a notify-all is one post, its arguments cloned once).
   */
  data?: unknown;
}

export type Kind = 'hello' | 'here' | 'beat' | 'ping' | 'pong' | 'bye' | 'gone' | 'lead' | 'msg' | 'msgs';

const BROADCAST: ReadonlySet<string> = new Set(['hello', 'beat', 'bye', 'lead']);
const ADDRESSED: ReadonlySet<string> = new Set(['here', 'ping', 'pong', 'gone', 'msg']);
const MAX_ID = 64;

const isId = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= MAX_ID;

/**
 * Reads what arrived on the channel: a record of this version, or why it is ignored. A record of
 * another version comes back too (its `from` and stable `kind` are still read), marked `version`.
 */
export function readRecord(data: unknown): GroupRecord | GroupIgnoredReason {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'foreign';
  const record = data as Partial<GroupRecord>;
  if (record.pw !== GROUP) return 'foreign';
  if (typeof record.v !== 'string' || !isId(record.from) || typeof record.kind !== 'string') return 'malformed';
  // Another version's record: only its stable fields are read, by the caller, which checks `v`.
  if (record.v !== VERSION) return record as GroupRecord;
  if (record.kind === 'msgs') {
    const { to, data: all } = record;
    if (!Array.isArray(to) || !Array.isArray(all) || !to.length || to.length !== all.length) return 'malformed';
    // Read by index, never through the array's methods: a clone keeps own properties (`every: 0`).
    for (let i = 0; i < to.length; i++) if (!isId(to[i])) return 'malformed';
    return record.lead === undefined ? (record as GroupRecord) : 'malformed';
  }
  const addressed = ADDRESSED.has(record.kind);
  if (!addressed && !BROADCAST.has(record.kind)) return 'malformed';
  if (addressed && !isId(record.to)) return 'malformed';
  if (record.lead !== undefined && typeof record.lead !== 'boolean') return 'malformed';
  if (record.kind === 'msg' && !('data' in record)) return 'malformed';
  return record as GroupRecord;
}

/** A fresh member id: 16 hex digits from the platform's random source. */
export function newId(): string {
  const bytes = new Uint8Array(8);
  const crypto = (globalThis as { crypto?: { getRandomValues?: (array: Uint8Array) => Uint8Array } }).crypto;
  if (crypto?.getRandomValues) crypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  let id = '';
  for (const byte of bytes) id += byte.toString(16).padStart(2, '0');
  return id;
}

/** What a call to a member of another protocol version rejects with, naming both versions. */
export const versionMismatch = (id: string, label: string, theirs: string): PortwireError =>
  new PortwireError(
    'VERSION_MISMATCH',
    `portwire: member ${id} of ${label} speaks protocol ${theirs}, this one speaks ${VERSION} (an old and a new deploy side by side?); reload the older page`,
  );

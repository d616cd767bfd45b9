import type { WireError } from '../errors/wire';

/** Bumped on any incompatible change; messages of another version are ignored. */
export const VERSION = 1;

/** Message kinds: numbers on the wire, one constant each so bundlers inline them. */
export const HELLO = 0;
export const READY = 1;
export const CALL = 2;
export const NOTIFY = 3;
export const RESULT = 4;
export const FAIL = 5;
export const ABORT = 6;
export const CLOSE = 7;
/** The result of a call is a stream: [STREAM, callId, streamId]. */
export const STREAM = 8;
/** Producer → consumer: items, in order. */
export const ITEMS = 9;
/** Producer → consumer: the stream ended. */
export const END = 10;
/** Producer → consumer: the stream failed. */
export const ERROR = 11;
/** Consumer → producer: you may send this many more items. */
export const PULL = 12;
/** Consumer → producer: stop and run your `finally`. */
export const CANCEL = 13;
/** Liveness probe of a peer with a heartbeat; always answered with PONG. */
export const PING = 14;
/** The answer to PING; never answered. */
export const PONG = 15;

/** Positions of streamed arguments inside a call: [argIndex, streamId, argIndex, streamId, …]. */
export type ArgStreams = number[];

export type Message =
  | [typeof HELLO]
  | [typeof READY]
  | [typeof CALL, id: number, method: string, args: unknown[], streams?: ArgStreams]
  | [typeof NOTIFY, method: string, args: unknown[]]
  | [typeof RESULT, id: number, value: unknown]
  | [typeof FAIL, id: number, error: WireError]
  | [typeof ABORT, id: number]
  | [typeof CLOSE]
  | [typeof STREAM, id: number, streamId: number]
  | [typeof ITEMS, streamId: number, items: unknown[]]
  | [typeof END, streamId: number]
  | [typeof ERROR, streamId: number, error: WireError]
  | [typeof PULL, streamId: number, count: number]
  | [typeof CANCEL, streamId: number]
  | [typeof PING]
  | [typeof PONG];

/** What one postMessage carries: a marker with the version, the channel when set, and a batch. */
export interface Envelope {
  portwire: typeof VERSION;
  ch?: string;
  b: Message[];
}

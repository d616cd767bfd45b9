import type { WireError } from '../errors/wire.js';

/**
 * The first entry of every portwire postMessage: the marker and the protocol version in one.
 * Bumped on any incompatible change; data without it (foreign traffic, another version) is ignored.
 */
export const MARK = 'portwire:2';

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
  | [typeof CALL, id: number, method: string, args: unknown[], streams: ArgStreams | 0]
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

/** How many entries a record of each kind has, the kind included (indexed by kind). */
export const ARITY = [1, 1, 5, 3, 3, 3, 2, 1, 3, 3, 2, 3, 3, 2, 1, 1] as const;

/**
 * What one postMessage carries: one flat array, `[MARK, channel, ...records]`, where `channel` is
 * the channel's name or 0 for the unnamed channel, and each record is a kind followed by that
 * kind's fields (ARITY). Flat because structured clone pays per object: a nested array per
 * message, or an object with named fields, costs more than the whole call does otherwise.
 */
export type Wire = [typeof MARK, string | 0, ...unknown[]];

import type { Transport } from '../transports/Transport.js';
import { microtask } from './microtask.js';
import * as P from './protocol.js';

/** Items a batch may hold for a busy producer before it leaves anyway. */
const MAX_HELD = 4096;
const NO_TRANSFER: Transferable[] = [];
/**
 * Items of one stream a batch carries before it leaves, burst or not: the reader starts on them
 * while the producer makes the rest. Half the default window, so each top-up of credit leaves as
 * one message: the 100 000-item stream ran 1.2× faster than at 64 in both Node and Chromium, and
 * than at 256 (a window's first burst held whole) in Chromium.
 */
const ITEMS_PER_BATCH = 128;
/**
 * Entries a batch may have before it leaves at once: an array past 16 000 elements (32 000 with
 * compressed pointers) is a large object, and a burst of 20 000 calls would cost four times as
 * much per call to queue (the other side also starts on the first part sooner).
 */
const MAX_ENTRIES = 8_192;

/**
 * The sending side of a peer. Everything queued in one microtask turn leaves as one postMessage
 * with the union of its transfer lists (a turn that queues more than MAX_ENTRIES entries sends
 * each such batch as soon as it is full). While a stream producer pulls a burst of items, the
 * batch is held until the burst ends, a task passes (for producers that await slowly) or it
 * carries ITEMS_PER_BATCH items of one stream, so the items share few messages. Nothing leaves
 * before the handshake; a batch that fails to clone, at once or later (a transport that joins
 * messages, given `#later`), is re-sent one message at a time, and each message that still fails
 * goes to `undeliverable`.
 *
 * Records are written straight into the array that will be posted, with no array per message.
 */
export class Outgoing {
  /** How many batches have left: a record queued at count N has left once this exceeds N. */
  flushes = 0;
  /** Whether the handshake has completed. */
  ready: boolean | undefined;
  #transport: Transport;
  #channel: string | 0;
  #undeliverable: (message: P.Message, error: unknown) => void;
  /** The next postMessage: `[MARK, channel, ...records]`. */
  #wire: unknown[];
  /** What records transfer, by where they start in `#wire`. */
  #transfers: Map<number, Transferable[]> | undefined;
  /** Where the last ITEMS record starts, while it is the last record (0: none). */
  #items: number | undefined;
  #queued = 0;
  #scheduled: boolean | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #pumping = 0;
  #closed: boolean | undefined;

  constructor(transport: Transport, channel: string | 0, undeliverable: (message: P.Message, error: unknown) => void) {
    this.#transport = transport;
    this.#channel = channel;
    this.#undeliverable = undeliverable;
    this.#wire = [P.MARK, channel];
  }

  /** Entries queued (0 when nothing waits). */
  get size(): number {
    return this.#wire.length - 2;
  }


  /** The other side answered the handshake: what waited may leave. */
  open(): void {
    if (this.ready) return;
    this.ready = true;
    if (this.size) this.#schedule();
  }

  /**
   * Queues a record (a kind and as many fields as P.ARITY gives it) for this turn's batch, with
   * what it transfers; returns where it starts, for `retract`.
   */
  push(kind: number, a?: unknown, b?: unknown, c?: unknown, d?: unknown, transfer?: Transferable[]): number {
    if (this.#closed) return 0;
    // A full batch leaves first; the record then starts the next (`flushes` counts it there).
    if (this.size > MAX_ENTRIES) this.#send();
    const wire = this.#wire;
    const at = wire.length;
    const size = P.ARITY[kind as 0];
    wire.push(kind);
    if (size > 1) wire.push(a);
    if (size > 2) wire.push(b);
    if (size > 3) wire.push(c, d);
    if (transfer?.length) (this.#transfers ??= new Map()).set(at, transfer);
    this.#queued++;
    this.#schedule();
    return at;
  }

  /** Queues one stream item, joining the last record when it carries the same stream. */
  item(stream: number, value: unknown, transfer: Transferable[] | undefined): void {
    const wire = this.#wire;
    const at = this.#items;
    if (!transfer && at && at === wire.length - 3 && wire[at + 1] === stream && !this.#transfers?.has(at)) {
      if ((wire[at + 2] as unknown[]).push(value) >= ITEMS_PER_BATCH) return this.#send();
      this.#queued++;
      this.#schedule();
    } else this.#items = this.push(P.ITEMS, stream, [value], 0, 0, transfer);
  }

  /**
   * Drops a record queued at `at` that has not left (its handler must never run): it becomes
   * PONGs, which the other side ignores. True if it was dropped.
   */
  retract(at: number, queuedAt: number): boolean {
    if (queuedAt !== this.flushes || this.#closed) return false;
    this.#transfers?.delete(at);
    this.#wire.fill(P.PONG, at, at + P.ARITY[this.#wire[at] as 0]);
    return true;
  }

  /** A producer starts (+1) or ends (−1) a burst. */
  pumping(delta: number): void {
    this.#pumping += delta;
    if (this.#pumping === 0 && this.size) this.#schedule();
  }

  /** Sends one message now, outside the batch. False if it could not be cloned. */
  post(message: P.Message, transfer: Transferable[] = NO_TRANSFER): boolean {
    try {
      this.#transport.send([P.MARK, this.#channel, ...message], transfer);
      return true;
    } catch (error) {
      this.#undeliverable(message, error);
      return false;
    }
  }

  /** Sends what is queued now (before a CLOSE), then refuses everything. */
  close(flush: boolean): void {
    // At once, not joined later: the CLOSE follows it, and a failure must still be salvaged.
    if (flush) this.#send(false);
    this.#closed = true;
    this.#wire = [P.MARK, this.#channel];
    this.#transfers = undefined;
    clearTimeout(this.#timer);
  }

  #schedule(): void {
    if (this.#pumping > 0 && this.#queued < MAX_HELD) {
      this.#timer ??= setTimeout(this.#fire, 0);
    } else if (!this.#scheduled) {
      this.#scheduled = true;
      microtask(this.#flush);
    }
  }

  #flush = (): void => {
    this.#scheduled = false;
    if (this.#pumping === 0 || this.#queued >= MAX_HELD) this.#send();
  };

  // The timer outlives the sends of a long burst: re-arming one per batch costs more than the
  // batch, and a timer that finds nothing queued sends nothing.
  #fire = (): void => {
    this.#timer = undefined;
    this.#send();
  };

  #send = (join = true): void => {
    if (!this.ready || this.#closed || !this.size) return;
    const wire = this.#wire;
    const transfers = this.#transfers;
    this.#wire = [P.MARK, this.#channel];
    this.#transfers = undefined;
    this.#queued = this.#items = 0;
    this.flushes++;
    try {
      if (transfers) this.#transport.send(wire, [...new Set([...transfers.values()].flat())]);
      else this.#transport.send(wire, NO_TRANSFER, join ? this.#later : undefined);
    } catch {
      this.#salvage(wire, transfers);
    }
  };

  /** A batch the transport posted later (it moved nothing) failed to clone. */
  #later = (wire: unknown): void => this.#salvage(wire as unknown[], undefined);

  // A batch failed to clone: send its records one by one, so only the guilty one fails.
  #salvage(wire: unknown[], transfers: Map<number, Transferable[]> | undefined): void {
    for (let at = 2; at < wire.length && !this.#closed; ) {
      const message = wire.slice(at, (at += P.ARITY[wire[at] as 0])) as P.Message;
      const moved = transfers?.get(at - message.length);
      if (message[0] === P.ITEMS && message[2].length > 1 && !moved) {
        for (const item of message[2]) if (!this.post([P.ITEMS, message[1], [item]])) break;
      } else this.post(message, moved);
    }
  }
}

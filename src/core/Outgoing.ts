import type { Transport } from '../transports/Transport.js';
import * as P from './protocol.js';

/** Items a batch may hold for a busy producer before it leaves anyway. */
const MAX_HELD = 4096;
const NO_TRANSFER: Transferable[] = [];

/**
 * The sending side of a peer. Everything queued in one microtask turn leaves as one postMessage
 * with the union of its transfer lists. While a stream producer pulls a burst of items, the batch
 * is held until the burst ends (or a task passes, for producers that await slowly), so the items
 * share one message. Nothing leaves before the handshake; a batch that fails to clone is re-sent
 * one message at a time, and each message that still fails goes to `undeliverable`.
 */
export class Outgoing {
  /** How many batches have left: a message queued at count N has left once this exceeds N. */
  flushes = 0;
  #transport: Transport;
  #channel: string | 0;
  #undeliverable: (message: P.Message, error: unknown) => void;
  #out: P.Message[] = [];
  #transfers: Map<P.Message, Transferable[]> | undefined;
  #queued = 0;
  #scheduled = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #pumping = 0;
  #ready = false;
  #closed = false;

  constructor(transport: Transport, channel: string | 0, undeliverable: (message: P.Message, error: unknown) => void) {
    this.#transport = transport;
    this.#channel = channel;
    this.#undeliverable = undeliverable;
  }

  get size(): number {
    return this.#out.length;
  }

  /** Whether the handshake has completed. */
  get ready(): boolean {
    return this.#ready;
  }

  /** The other side answered the handshake: what waited may leave. */
  open(): void {
    if (this.#ready) return;
    this.#ready = true;
    if (this.#out.length) this.#schedule();
  }

  /** Queues a message for this turn's batch. */
  push(message: P.Message, transfer?: Transferable[]): void {
    if (this.#closed) return;
    this.#out.push(message);
    if (transfer && transfer.length) (this.#transfers ??= new Map()).set(message, transfer);
    this.#queued++;
    this.#schedule();
  }

  /** Queues one stream item, joining the previous message when it carries the same stream. */
  item(stream: number, value: unknown, transfer: Transferable[] | undefined): void {
    const last = this.#out[this.#out.length - 1];
    if (!transfer && last && last[0] === P.ITEMS && last[1] === stream && !this.#transfers?.has(last)) {
      last[2].push(value);
      this.#queued++;
      this.#schedule();
    } else this.push([P.ITEMS, stream, [value]], transfer);
  }

  /** Drops a queued message that has not left (its handler must never run). True if it was dropped. */
  retract(message: P.Message, queuedAt: number): boolean {
    if (queuedAt !== this.flushes) return false;
    this.#transfers?.delete(message);
    // Emptied in place: the other side drops empty messages, and no search through the batch.
    (message as unknown[]).length = 0;
    return true;
  }

  /** A producer starts (+1) or ends (−1) a burst. */
  pumping(delta: number): void {
    this.#pumping += delta;
    if (this.#pumping === 0 && this.#out.length) this.#schedule();
  }

  /** Sends one message now, outside the batch. False if it could not be cloned. */
  post(message: P.Message, transfer: Transferable[] = NO_TRANSFER): boolean {
    try {
      this.#transport.send(this.#envelope([message]), transfer);
      return true;
    } catch (error) {
      this.#undeliverable(message, error);
      return false;
    }
  }

  /** Sends what is queued now (before a CLOSE), then refuses everything. */
  close(flush: boolean): void {
    if (flush) this.#send();
    this.#closed = true;
    this.#out = [];
    this.#transfers = undefined;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
  }

  #schedule(): void {
    if (this.#pumping > 0 && this.#queued < MAX_HELD) {
      this.#timer ??= setTimeout(this.#send, 0);
    } else if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(this.#flush);
    }
  }

  #flush = (): void => {
    this.#scheduled = false;
    if (this.#pumping === 0 || this.#queued >= MAX_HELD) this.#send();
  };

  #send = (): void => {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (!this.#ready || this.#closed || this.#out.length === 0) return;
    const batch = this.#out;
    const transfers = this.#transfers;
    this.#out = [];
    this.#transfers = undefined;
    this.#queued = 0;
    this.flushes++;
    let transfer = NO_TRANSFER;
    if (transfers) {
      const lists = [...transfers.values()];
      transfer = lists.length === 1 ? lists[0]! : [...new Set(lists.flat())];
    }
    try {
      this.#transport.send(this.#envelope(batch), transfer);
    } catch {
      this.#salvage(batch, transfers);
    }
  };

  // A batch failed to clone: send its messages one by one, so only the guilty one fails.
  #salvage(batch: P.Message[], transfers: Map<P.Message, Transferable[]> | undefined): void {
    for (const message of batch) {
      if (this.#closed) return;
      if (message[0] === P.ITEMS && message[2].length > 1 && !transfers?.has(message)) {
        for (const item of message[2]) if (!this.post([P.ITEMS, message[1], [item]])) break;
      } else this.post(message, transfers?.get(message));
    }
  }

  #envelope(batch: P.Message[]): P.Wire {
    const wire: P.Wire = [P.MARK, this.#channel];
    for (let i = 0; i < batch.length; i++) {
      const message = batch[i]!;
      for (let j = 0; j < message.length; j++) wire.push(message[j]);
    }
    return wire;
  }
}

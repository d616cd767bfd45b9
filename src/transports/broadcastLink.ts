import { PortwireError } from '../errors/PortwireError.js';
import type { Transport } from './Transport.js';

/**
 * One member-to-member link on a shared BroadcastChannel: a virtual endpoint. What it sends,
 * `post` addresses to the other member on the channel (at once, or joined with what other links
 * send when it is handed `undeliverable`); what the channel carries addressed from that member to
 * this one is handed to it with `deliver`. It never looks inside either.
 */
export interface BroadcastLink extends Transport {
  /** Hands the link a message that was addressed to it. */
  deliver(data: unknown): void;
}

const refuse = (label: string, count: number) =>
  new PortwireError(
    'NO_TRANSFER',
    `portwire: a BroadcastChannel cannot transfer (asked to move ${count} to ${label}); send a copy, or a MessagePort-based endpoint for zero-copy`,
  );

/**
 * A link whose messages leave through `post` (which addresses them) and arrive through
 * `deliver`. BroadcastChannel clones and never transfers, so a transfer is refused at the
 * caller, never copied behind its back.
 * @example
 * const link = broadcastLink((data) => channel.postMessage({ to: id, from: me, data }), `member ${id}`);
 */
export function broadcastLink(post: (data: unknown, undeliverable?: (data: unknown) => void) => void, label: string): BroadcastLink {
  let handler: ((data: unknown) => void) | undefined;
  return {
    label,
    send(message, transfer, undeliverable) {
      if (transfer.length) throw refuse(label, transfer.length);
      post(message, undeliverable);
    },
    listen(listener) {
      handler = listener;
      return () => {
        handler = undefined;
      };
    },
    checkTransfer(transfer) {
      if (transfer.length) throw refuse(label, transfer.length);
    },
    deliver(data) {
      handler?.(data);
    },
  };
}

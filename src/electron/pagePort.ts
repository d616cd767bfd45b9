import { messageEndpoint } from '../transports/messageEndpoint.js';
import type { Transport } from '../transports/Transport.js';
import type { Handover } from './handover.js';
import { onlyPorts } from './transfers.js';

const isPort = (value: unknown): boolean => typeof MessagePort === 'function' && value instanceof MessagePort;

/**
 * The transport over a port main handed to a renderer. When main holds the other end
 * (`transfers: 'ports'`), only MessagePorts may be transferred: a message that transfers an
 * ArrayBuffer to main loses its data on the way, so it is refused here. A port to another
 * renderer transfers everything.
 * Stopping closes the port, so the other end hears of it.
 */
export function pagePort(port: MessagePort, transfers: Handover['transfers'], label: string): Transport {
  const base = messageEndpoint(port);
  const checkTransfer = transfers === 'ports' ? (transfer: readonly unknown[]) => onlyPorts(transfer, isPort, label) : undefined;
  return {
    ...base,
    label,
    send(message, transfer) {
      checkTransfer?.(transfer);
      base.send(message, transfer);
    },
    listen(handler) {
      const stop = base.listen(handler);
      return () => {
        stop();
        port.close();
      };
    },
    ...(checkTransfer && { checkTransfer }),
  };
}

export const labelFor = (transfers: Handover['transfers'], channel: string): string =>
  `${transfers === 'ports' ? 'the main process' : 'the other renderer'}${channel ? ` (channel ${JSON.stringify(channel)})` : ''}`;

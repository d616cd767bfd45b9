import type { Transport } from '../transports/Transport.js';
import { isPortMain, onlyPorts } from './transfers.js';
import type { MessagePortMainLike } from './types.js';

/**
 * Adapts an Electron `MessagePortMain` in the main process (one end of a `MessageChannelMain`, or
 * a port a renderer or utility process posted to main). The port's `'close'` (its other end went
 * away) closes the peer. Only MessagePortMain objects can be transferred through it; anything
 * else is refused with a `PortwireError` (code `NO_TRANSFER`) before it is sent.
 * @example
 * const { port1, port2 } = new MessageChannelMain();
 * child.postMessage({ hello: 'port' }, [port2]);
 * const job = connect<JobApi>(portEndpoint(port1));
 */
export function portEndpoint(port: MessagePortMainLike, label = 'the other end of the MessagePortMain'): Transport {
  const checkTransfer = (transfer: readonly unknown[]) => onlyPorts(transfer, isPortMain, `a MessagePortMain (to ${label})`);
  return {
    label,
    send(message, transfer) {
      checkTransfer(transfer);
      if (transfer.length) port.postMessage(message, transfer);
      else port.postMessage(message);
    },
    listen(handler) {
      const onMessage = (event: { data: unknown }) => handler(event.data);
      port.on('message', onMessage);
      port.start();
      return () => void port.off('message', onMessage);
    },
    onClose(handler) {
      const onClose = () => handler(`${label} closed`);
      port.on('close', onClose);
      return () => void port.off('close', onClose);
    },
    checkTransfer,
  };
}

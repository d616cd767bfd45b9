import { PortwireError } from '../errors/PortwireError.js';
import type { Transport } from '../transports/Transport.js';
import { noTransfer } from './transfers.js';
import type { ParentPortLike } from './types.js';

/** The utility process's own `process.parentPort`, or null outside one. */
export const ownParentPort = (): ParentPortLike | null =>
  (globalThis as { process?: { parentPort?: ParentPortLike | null } }).process?.parentPort ?? null;

/**
 * A Transport from inside an Electron `utilityProcess` to the main process that forked it, over
 * `process.parentPort`. It cannot transfer anything (parentPort.postMessage takes no transfer
 * list), so every transfer is refused with a `PortwireError` (code `NO_TRANSFER`) at the caller.
 * When main goes away, the child goes with it.
 * @example
 * expose(jobApi, parentEndpoint());
 */
export function parentEndpoint(port: ParentPortLike | null = ownParentPort()): Transport {
  if (!port) throw new PortwireError('NO_ENDPOINT', 'portwire: process.parentPort is null: this is not an Electron utility process (pass a port)');
  const label = 'the main process (process.parentPort)';
  return {
    label,
    send(message, transfer) {
      noTransfer(transfer, label);
      port.postMessage(message);
    },
    listen(handler) {
      const onMessage = (event: { data: unknown }) => handler(event.data);
      port.on('message', onMessage);
      return () => void port.off('message', onMessage);
    },
    checkTransfer: (transfer) => noTransfer(transfer, label),
  };
}

import type { Transport } from '../transports/Transport.js';
import { isPortMain, onlyPorts } from './transfers.js';
import type { UtilityProcessLike } from './types.js';

/**
 * A Transport from Electron's main process to a `utilityProcess` child
 * (`utilityProcess.fork(…)`); the child runs `expose` or `connect` from portwire/electron/utility.
 * Messages go with `child.postMessage`, come back as the child's `'message'` events; the child's
 * `'exit'` closes the peer, and `peer.terminate()` kills the child. Only MessagePortMain objects
 * can be transferred to the child, and nothing from it (`process.parentPort` takes no transfer
 * list): for zero-copy, hand it a port and use `portEndpoint`. Other transfers are refused.
 * @example
 * const child = utilityProcess.fork(join(import.meta.dirname, 'worker.js'));
 * const jobs = connect<JobApi>(utilityEndpoint(child));
 */
export function utilityEndpoint(child: UtilityProcessLike): Transport {
  const label = `the utility process${child.pid ? ` ${child.pid}` : ''}`;
  const checkTransfer = (transfer: readonly unknown[]) => onlyPorts(transfer, isPortMain, `a utility process (${label})`);
  return {
    label,
    send(message, transfer) {
      checkTransfer(transfer);
      if (transfer.length) child.postMessage(message, transfer);
      else child.postMessage(message);
    },
    listen(handler) {
      const onMessage = (data: unknown) => handler(data);
      child.on('message', onMessage);
      return () => void child.off('message', onMessage);
    },
    onClose(handler) {
      const onExit = (code: number) => handler(`${label} exited with code ${code}`);
      child.on('exit', onExit);
      return () => void child.off('exit', onExit);
    },
    terminate: () => void child.kill(),
    checkTransfer,
  };
}

import { PortwireError } from '../errors/PortwireError.js';
import { isTransport, type Endpoint, type MessageEndpoint, type Transport } from './Transport.js';

/**
 * Adapts a Worker, MessagePort, worker global scope or SharedWorker port. The endpoint is used as
 * it is: one 'message' listener, `start()` for ports, and its own close signals where it has them
 * (a port's 'close' event; a Worker's 'error' event before its first message, when its script
 * failed to start). A terminated Worker gives no signal at all: use the `heartbeat` option.
 */
export function messageEndpoint(endpoint: MessageEndpoint): Transport {
  if (typeof endpoint?.postMessage !== 'function' || typeof endpoint.addEventListener !== 'function') {
    throw new PortwireError(
      'BAD_ENDPOINT',
      'portwire: the endpoint needs postMessage() and addEventListener(); for a worker_threads Worker use portwire/node',
    );
  }
  // A browser Worker survives an uncaught error at run time; its 'error' event means death only
  // while it has not said anything yet (the script failed to load, parse or start).
  let heard = false;
  const worker = endpoint as MessageEndpoint & { terminate?: () => void };
  return {
    send: (message, transfer) => (transfer.length ? endpoint.postMessage(message, transfer) : endpoint.postMessage(message)),
    listen(handler) {
      const onMessage = (event: MessageEvent) => {
        heard = true;
        handler(event.data);
      };
      endpoint.addEventListener('message', onMessage);
      endpoint.start?.();
      return () => endpoint.removeEventListener('message', onMessage);
    },
    onClose(handler) {
      const onClose = () => handler('the endpoint closed');
      const onError = () => heard || handler('the worker failed to start');
      const isWorker = typeof worker.terminate === 'function';
      endpoint.addEventListener('close', onClose);
      if (isWorker) endpoint.addEventListener('error', onError);
      return () => {
        endpoint.removeEventListener('close', onClose);
        if (isWorker) endpoint.removeEventListener('error', onError);
      };
    },
    ...(typeof worker.terminate === 'function' && { terminate: () => worker.terminate!() }),
  };
}

export const toTransport = (endpoint: Endpoint): Transport =>
  isTransport(endpoint) ? endpoint : messageEndpoint(endpoint);

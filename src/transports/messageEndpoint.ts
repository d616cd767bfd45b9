import { PortwireError } from '../errors/PortwireError';
import { isTransport, type Endpoint, type MessageEndpoint, type Transport } from './Transport';

/**
 * Adapts a Worker, MessagePort, worker global scope or SharedWorker port. The endpoint is used as
 * it is: one 'message' listener, `start()` for ports, and its own close signals where it has them
 * (a port's 'close' event; a Worker's 'error' event, since a Worker reports its death no other way).
 */
export function messageEndpoint(endpoint: MessageEndpoint): Transport {
  if (typeof endpoint?.postMessage !== 'function' || typeof endpoint.addEventListener !== 'function') {
    throw new PortwireError(
      'BAD_ENDPOINT',
      'portwire: the endpoint needs postMessage() and addEventListener(); for a worker_threads Worker use portwire/node',
    );
  }
  return {
    send: (message, transfer) => endpoint.postMessage(message, transfer),
    listen(handler) {
      const onMessage = (event: MessageEvent) => handler(event.data);
      endpoint.addEventListener('message', onMessage);
      endpoint.start?.();
      return () => endpoint.removeEventListener('message', onMessage);
    },
    onClose(handler) {
      const onClose = () => handler('the endpoint closed');
      const onError = () => handler('the worker failed');
      const isWorker = typeof (endpoint as { terminate?: unknown }).terminate === 'function';
      endpoint.addEventListener('close', onClose);
      if (isWorker) endpoint.addEventListener('error', onError);
      return () => {
        endpoint.removeEventListener('close', onClose);
        if (isWorker) endpoint.removeEventListener('error', onError);
      };
    },
  };
}

export const toTransport = (endpoint: Endpoint): Transport =>
  isTransport(endpoint) ? endpoint : messageEndpoint(endpoint);

import { parentPort, type MessagePort, type Worker } from 'node:worker_threads';
import * as core from '../core/createPeer.js';
import type { Peer } from '../core/Peer.js';
import type { PeerOptions } from '../core/options.js';
import type { Remote } from '../core/types.js';
import { PortwireError } from '../errors/PortwireError.js';
import { isTransport, type Transport } from '../transports/Transport.js';

/** A worker_threads Worker, MessagePort or `parentPort`, or any ready-made transport. */
export type NodeEndpoint = Worker | MessagePort | Transport;

/**
 * Adapts a worker_threads Worker or MessagePort. Closing is seen through the Worker's 'exit' and
 * 'error' events and the port's 'close' event (fired when either end of the channel closes).
 * @example
 * const peer = createPeer(nodeEndpoint(new Worker('./worker.mjs')));
 */
export function nodeEndpoint(endpoint: Worker | MessagePort): Transport {
  const isWorker = typeof (endpoint as Worker).terminate === 'function';
  return {
    // An empty transfer list is not free in Node: leave it out when there is nothing to move.
    send: (message, transfer) => (transfer.length ? endpoint.postMessage(message, transfer as never) : endpoint.postMessage(message)),
    listen(handler) {
      endpoint.on('message', handler);
      return () => void endpoint.off('message', handler);
    },
    onClose(handler) {
      const event = isWorker ? 'exit' : 'close';
      const onClose = () => handler(isWorker ? 'the worker exited' : 'the port closed');
      // A worker's uncaught exception ends it; seen here, it closes the peer with its message
      // instead of crashing the parent for want of an 'error' listener.
      const onError = (error: Error) => handler(`the worker failed: ${error?.message}`);
      endpoint.on(event, onClose);
      if (isWorker) endpoint.on('error', onError);
      return () => {
        endpoint.off(event, onClose);
        if (isWorker) endpoint.off('error', onError);
      };
    },
    ...(isWorker && { terminate: () => void (endpoint as Worker).terminate() }),
  };
}

const adapt = (endpoint: NodeEndpoint): Transport => (isTransport(endpoint as Transport) ? (endpoint as Transport) : nodeEndpoint(endpoint as Worker));

/**
 * `createPeer` for worker_threads.
 * @example
 * const peer = createPeer<WorkerApi>(new Worker(new URL('./worker.js', import.meta.url)), { handlers });
 */
export const createPeer = <R = any, H extends object = object>(endpoint: NodeEndpoint, options?: PeerOptions<H>): Peer<R> =>
  core.createPeer<R, H>(adapt(endpoint), options);

/**
 * Answers calls with `handlers`; inside a worker thread the endpoint defaults to `parentPort`.
 * @example
 * expose({ add: (a: number, b: number) => a + b });
 */
export function expose<H extends object, R = any>(
  handlers: H,
  endpoint: NodeEndpoint | null = parentPort,
  options?: Omit<PeerOptions<H>, 'handlers'>,
): Peer<R> {
  if (!endpoint) throw new PortwireError('NO_ENDPOINT', 'portwire: expose() needs an endpoint outside a worker thread');
  return core.expose<H, R>(handlers, adapt(endpoint), options);
}

/**
 * The typed proxy of what the other side of `endpoint` exposes.
 * @example
 * const remote = connect<WorkerApi>(new Worker(new URL('./worker.js', import.meta.url)));
 * await remote.add(1, 2);
 */
export const connect = <R>(endpoint: NodeEndpoint, options?: PeerOptions): Remote<R> => core.connect<R>(adapt(endpoint), options);

export { pool } from '../pool/nodePool.js';

// Everything else (errors, transfer, context, types) is the same as the main entry's; the local
// createPeer/expose/connect above take precedence over its browser-flavoured ones.
export * from '../index.js';

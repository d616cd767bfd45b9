import type { MessageEndpoint, Endpoint } from '../transports/Transport.js';
import { PortwireError } from '../errors/PortwireError.js';
import type { PeerOptions } from './options.js';
import { Peer } from './Peer.js';
import type { Remote } from './types.js';

/**
 * The symmetric primitive: one side of a connection that may both answer (`handlers`) and call
 * (`peer.remote`). `R` is the type of the other side's handlers.
 * @example
 * const peer = createPeer<typeof workerApi>(worker, { handlers: pageApi, timeout: 5000 });
 * await peer.remote.add(1, 2);
 */
export function createPeer<R = any, H extends object = object>(endpoint: Endpoint, options?: PeerOptions<H>): Peer<R> {
  return new Peer<R>(endpoint, options);
}

/**
 * Answers calls with `handlers` on `endpoint` (in a worker, its own global scope by default).
 * Returns the peer: `close()` ends this side, `remote` calls the other side back.
 * @example
 * expose({ add: (a: number, b: number) => a + b });
 */
export function expose<H extends object, R = any>(
  handlers: H,
  endpoint: Endpoint = ownScope(),
  options?: Omit<PeerOptions<H>, 'handlers'>,
): Peer<R> {
  return new Peer<R>(endpoint, { ...options, handlers });
}

/**
 * The typed proxy of the handlers exposed on the other side of `endpoint`.
 * @example
 * const remote = connect<WorkerApi>(new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' }));
 * await remote.add(1, 2);
 */
export function connect<R>(endpoint: Endpoint, options?: PeerOptions): Remote<R> {
  return new Peer<R>(endpoint, options).remote;
}

function ownScope(): MessageEndpoint {
  const scope = globalThis as unknown as Partial<MessageEndpoint> & { document?: unknown };
  if (typeof scope.postMessage !== 'function' || typeof scope.addEventListener !== 'function' || 'document' in scope) {
    throw new PortwireError(
      'NO_ENDPOINT',
      'portwire: expose() needs an endpoint here (in a SharedWorker use exposeShared, in worker_threads portwire/node)',
    );
  }
  return scope as MessageEndpoint;
}

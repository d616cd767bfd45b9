import { messageEndpoint } from '../transports/messageEndpoint.js';
import type { MessageEndpoint, Transport } from '../transports/Transport.js';
import { settle } from './options.js';
import { WorkerPool } from './WorkerPool.js';
import type { Pool, PoolOptions } from './types.js';

export type { Pool, PoolOptions, PoolStats, WorkerStats, PoolEvents, PoolLeaveReason } from './types.js';

/**
 * What the factory returns: a `Worker`, seen structurally (its messaging, `terminate()` and its
 * `'error'` event), so these types need no DOM lib.
 */
type WebWorker = MessageEndpoint & { terminate(): void };

/**
 * A Web Worker as a pool sees it. A browser worker outlives an uncaught error in its script, where
 * a worker thread dies of one: the pool treats it as the crash it is in Node, so the worker is
 * replaced rather than left half-broken with calls that may never be answered.
 */
function workerTransport(worker: WebWorker): Transport {
  const transport = messageEndpoint(worker);
  return {
    ...transport,
    onClose(handler) {
      const stop = transport.onClose!(handler);
      const onError = (event: ErrorEvent) => handler(`the worker failed: ${event.message || 'an uncaught error'}`);
      worker.addEventListener('error', onError);
      return () => {
        stop();
        worker.removeEventListener('error', onError);
      };
    },
  };
}

/**
 * A pool of Web Workers that `factory` starts (it gets the new worker's id, e.g. for its `name`).
 * `remote` sends each call to a free worker; the pool has the group shape (`peers`, `on`,
 * `peer(id)`, `notify`, `callAll`, `close`). For worker_threads, `pool` from `portwire/node`.
 * Each worker runs `expose(api)` as usual. See `PoolOptions` for sizes and dispatch.
 * @example
 * const workers = pool<Api>(() => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' }), { size: 4 });
 * await workers.remote.resize(image);
 * workers.close();
 */
export function pool<Api = any, H extends object = object>(factory: (id: string) => WebWorker, options: PoolOptions<Api, H> = {}): Pool<Api> {
  const cores = typeof navigator === 'object' ? navigator.hardwareConcurrency : 0;
  const settings = settle(options, cores);
  const page = typeof document === 'object' && typeof addEventListener === 'function';
  // A page going away ends its workers at once (one kept in the back/forward cache keeps them).
  // Listening before the first worker starts: its own peer closing first would start a replacement.
  let workers: WorkerPool<Api> | undefined;
  const onHide = (event: PageTransitionEvent) => event.persisted || workers?.close();
  if (page) addEventListener('pagehide', onHide);
  try {
    workers = new WorkerPool<Api>((id) => workerTransport(factory(id)), settings, options);
  } finally {
    if (page && !workers) removeEventListener('pagehide', onHide);
  }
  if (page) workers.onClose(() => removeEventListener('pagehide', onHide));
  return workers as unknown as Pool<Api>;
}

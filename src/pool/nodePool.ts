import * as os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { nodeEndpoint } from '../node/index.js';
import { settle } from './options.js';
import { WorkerPool } from './WorkerPool.js';
import type { Pool, PoolOptions } from './types.js';

/**
 * A pool of worker_threads Workers that `factory` starts (it gets the new worker's id). Each
 * worker runs `expose(api)` from `portwire/node`. Open workers keep the process alive: `close()`
 * the pool when done (a pool that is not `eager` also ends idle workers after `idleTimeout`).
 * @example
 * const workers = pool<Api>(() => new Worker(new URL('./worker.js', import.meta.url)), { size: 4 });
 * await workers.remote.resize(image);
 * workers.close();
 */
export function pool<Api = any, H extends object = object>(factory: (id: string) => Worker, options: PoolOptions<Api, H> = {}): Pool<Api> {
  // availableParallelism is Node 18.14+; the engines field says 18.
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return new WorkerPool<Api>((id) => nodeEndpoint(factory(id)), settle(options, cores), options) as unknown as Pool<Api>;
}

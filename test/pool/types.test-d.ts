// Type-level checks of the pool API, compiled by `npm run typecheck` (tsc) and never run: each
// `@ts-expect-error` fails the typecheck if the line below it stops being an error; each typed
// assignment fails it if the inferred type changes.
import { Worker as NodeWorker } from 'node:worker_threads';
import { pool, type Group, type Pool, type PoolLeaveReason, type PoolStats, type Remote, type Settled } from '../../src/index';
import { pool as nodePool } from '../../src/node/index';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<_T extends true>(): void {}

const api = {
  resize: (image: { width: number; data: Uint8Array }) => ({ width: image.width / 2 }),
  async *tiles(job: string) {
    yield { job, x: 0 };
  },
  math: { mul: (a: number, b: number) => a * b },
};
type Api = typeof api;

export async function checks() {
  const workers = pool<Api>(() => new Worker('worker.js', { type: 'module' }), { size: 4, concurrency: 2, idempotent: ['resize', 'math.mul'] });
  assertType<Equal<typeof workers, Pool<Api>>>();
  assertType<Equal<typeof workers.remote, Remote<Api>>>();
  const group: Group<Api, any> = workers;
  void group;

  const half = await workers.remote.resize({ width: 8, data: new Uint8Array(8) });
  assertType<Equal<typeof half, { width: number }>>();
  for await (const tile of workers.remote.tiles('job')) assertType<Equal<typeof tile, { job: string; x: number }>>();
  const viaCall = await workers.remote.$call('math.mul', [2, 3], { timeout: 100, signal: AbortSignal.timeout(10) });
  assertType<Equal<typeof viaCall, number>>();
  // @ts-expect-error: wrong argument type
  await workers.remote.resize('big');

  workers.notify('math.mul', 1, 2);
  const answers = await workers.callAll('resize', [{ width: 2, data: new Uint8Array(2) }]);
  assertType<Equal<typeof answers, Array<Settled<{ width: number }>>>>();
  workers.on('leave', (id, reason) => assertType<Equal<typeof reason, PoolLeaveReason>>());
  workers.on('join', (id) => assertType<Equal<typeof id, string>>());
  // @ts-expect-error: a pool has no leader
  workers.on('leader', () => {});
  assertType<Equal<typeof workers.stats, PoolStats>>();
  assertType<Equal<ReturnType<typeof workers.peer>, Remote<Api>>>();
  // @ts-expect-error: not a method of Api
  pool<Api>(() => new Worker('w.js'), { idempotent: ['nope'] });

  const threads = nodePool<Api>(() => new NodeWorker('./worker.js'), { eager: true, idleTimeout: Infinity });
  assertType<Equal<typeof threads, Pool<Api>>>();
  // @ts-expect-error: portwire's pool takes Web Workers
  pool<Api>(() => new NodeWorker('./worker.js'));
  // @ts-expect-error: portwire/node's pool takes worker_threads Workers
  nodePool<Api>(() => new Worker('worker.js'));
}

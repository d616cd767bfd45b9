import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach } from 'vitest';
import { build } from 'vite';
import { pool, type Pool, type PoolOptions } from '../../src/node/index';
import type { PoolApi } from './fixtures/poolApi';

// Worker threads run plain JavaScript: test/pool/fixtures/*.worker.ts and *.main.ts are bundled
// once per test process, into a directory of its own (test files run in parallel processes).
export const fixtures = fileURLToPath(new URL(`../../node_modules/.cache/portwire-pool-fixtures/${process.pid}/`, import.meta.url));
let built: Promise<unknown> | undefined;

export function buildFixtures(): Promise<unknown> {
  const dir = fileURLToPath(new URL('./fixtures/', import.meta.url));
  const entries = Object.fromEntries(
    readdirSync(dir)
      .filter((file) => file.endsWith('.worker.ts') || file.endsWith('.main.ts'))
      .map((file) => [file.replace(/\.ts$/, ''), `${dir}${file}`]),
  );
  return (built ??= build({
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir: fixtures,
      emptyOutDir: true,
      minify: false,
      target: 'node18',
      lib: { entry: entries, formats: ['es'] },
      rolldownOptions: { external: [/^node:/] },
    },
  }));
}

const open: Array<Pool> = [];
/** Every Worker the test pools started, so tests can see each one exit. */
export const started: Worker[] = [];

afterEach(async () => {
  for (const workers of open.splice(0)) workers.close();
  await Promise.all(started.splice(0).map((worker) => worker.threadId === -1 || new Promise((resolve) => worker.once('exit', resolve))));
});

/** A pool of test workers (fixtures/pool.worker.ts unless `script` says otherwise), closed after the test. */
export async function testPool(options: PoolOptions<PoolApi> = {}, script = 'pool.worker'): Promise<Pool<PoolApi>> {
  await buildFixtures();
  const workers = pool<PoolApi>(() => {
    const worker = new Worker(`${fixtures}${script}.js`);
    started.push(worker);
    return worker;
  }, options);
  open.push(workers);
  return workers;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds; throws after `ms`. */
export async function until(check: () => unknown, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Awaits the rejection of `promise` and returns the error (fails if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

/** Whether two time intervals share a moment. */
export const overlap = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;

/** The calls each worker ran, by worker name. */
export function byWorker<T extends { worker: string }>(ran: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const r of ran) groups.set(r.worker, [...(groups.get(r.worker) ?? []), r]);
  return groups;
}

/** Resolves with `promise`'s outcome, or with 'still pending' if it has not settled within `ms`. */
export function within<T>(promise: Promise<T>, ms = 500): Promise<T | 'still pending'> {
  return Promise.race([promise, sleep(ms).then(() => 'still pending' as const)]);
}

import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach } from 'vitest';
import { build } from 'vite';
import { pool, type Pool, type PoolOptions } from '../../src/node/index';
import type { PoolApi } from './fixtures/poolApi';
import { eventually } from '../unit/helpers';

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

// The unit suites' own helpers; pools wait longer, since a worker may have to start first.
export { rejection, sleep, within } from '../unit/helpers';
export const until = (check: () => unknown, ms = 5000, what = 'condition'): Promise<void> => eventually(check, ms, what);

/** Whether two time intervals share a moment. */
export const overlap = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;

/** The calls each worker ran, by worker name. */
export function byWorker<T extends { worker: string }>(ran: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const r of ran) groups.set(r.worker, [...(groups.get(r.worker) ?? []), r]);
  return groups;
}

import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import workerpool from 'workerpool';
import { connect, pool } from '../../../src/node/index';
import { runPool, type PoolBenchConfig, type PoolContender } from './runPool';
import type { TaskApi } from './task';

// The pool scenario in Node: this thread submits, worker_threads compute. argv: config JSON, output file.
const [configJson, outFile] = process.argv.slice(2) as [string, string];
const config = JSON.parse(configJson) as PoolBenchConfig;
const dir = dirname(fileURLToPath(import.meta.url));

const portwire = pool<TaskApi>(() => new Worker(`${dir}/pool-node-worker.js`), { size: config.size, eager: true });
const wp = workerpool.pool(`${dir}/pool-node-workerpool.js`, { minWorkers: config.size, maxWorkers: config.size, workerType: 'thread' });
const single = new Worker(`${dir}/pool-node-worker.js`);
const one = connect<TaskApi>(single);

const contenders: PoolContender[] = [
  { name: 'portwire', workers: config.size, run: (ms) => portwire.remote.task(ms), close: () => portwire.close() },
  { name: 'workerpool', workers: config.size, run: (ms) => wp.exec('task', [ms]) as Promise<number>, close: () => wp.terminate() },
  { name: 'one worker', workers: 1, run: (ms) => one.task(ms), close: () => single.terminate() },
];
const result = await runPool('node', contenders, config, (line) => void process.stderr.write(`[node] ${line}\n`));
writeFileSync(outFile, JSON.stringify({ ...result, version: process.version }));
process.exit(0);

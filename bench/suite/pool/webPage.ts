import workerpool from 'workerpool';
import { connect, pool } from '../../../src/index';
import { runPool, type PoolBenchConfig, type PoolBenchResult, type PoolContender } from './runPool';
import type { TaskApi } from './task';

// The pool scenario in Chromium: the page submits, dedicated module Workers compute.
const page = globalThis as unknown as { runPoolBench?: (config: PoolBenchConfig) => Promise<PoolBenchResult> };

page.runPoolBench = (config) => {
  const url = './pool-web-worker.js';
  const portwire = pool<TaskApi>(() => new Worker(url, { type: 'module' }), { size: config.size, eager: true });
  const wp = workerpool.pool('./pool-web-workerpool.js', {
    minWorkers: config.size,
    maxWorkers: config.size,
    workerType: 'web',
    workerOpts: { type: 'module' },
  });
  const single = new Worker(url, { type: 'module' });
  const one = connect<TaskApi>(single);
  const contenders: PoolContender[] = [
    { name: 'portwire', workers: config.size, run: (ms) => portwire.remote.task(ms), close: () => portwire.close() },
    { name: 'workerpool', workers: config.size, run: (ms) => wp.exec('task', [ms]) as Promise<number>, close: () => wp.terminate() },
    { name: 'one worker', workers: 1, run: (ms) => one.task(ms), close: () => single.terminate() },
  ];
  return runPool('chromium', contenders, config, (line) => console.log(`[chromium] ${line}`));
};

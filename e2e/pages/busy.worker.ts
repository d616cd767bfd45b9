import { expose } from '../../src/index';

// A generator that computes synchronously between yields, as users write CPU-bound code.
const report = { produced: 0, finallyRan: false };

function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

const api = {
  async *work(n: number, ms: number) {
    report.produced = 0;
    report.finallyRan = false;
    try {
      for (let i = 0; i < n; i++) {
        spin(ms);
        report.produced++;
        yield i;
      }
    } finally {
      report.finallyRan = true;
    }
  },
  report: () => ({ ...report }),
  /** A synchronous call handler: nothing reaches the worker until it returns. */
  block(ms: number) {
    spin(ms);
    return ms;
  },
};

export type BusyApi = typeof api;
expose(api);

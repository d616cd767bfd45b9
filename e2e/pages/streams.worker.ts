import { expose } from '../../src/index';

// What the worker saw, for the page to read back: a consumer's `break` only shows up here.
const report = { produced: 0, finallyRan: [] as string[] };

const api = {
  async *numbers(count: number) {
    try {
      for (let i = 0; i < count; i++) {
        report.produced++;
        yield i;
      }
    } finally {
      report.finallyRan.push(`numbers:${count}`);
    }
  },
  async sum(values: AsyncIterable<number>) {
    let total = 0;
    let count = 0;
    for await (const value of values) {
      total += value;
      count++;
    }
    return { count, total };
  },
  report: () => report,
};

export type StreamsApi = typeof api;

expose(api);

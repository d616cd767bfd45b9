// The utility process: a CPU-bound job whose progress streams back to main (and from main on to
// the page), over process.parentPort.
import { expose } from 'portwire/electron/utility';
import type { JobApi } from './api.js';

const api: JobApi = {
  async *crunch(size) {
    let sum = 0;
    const step = Math.max(1, Math.floor(size / 50));
    for (let i = 1; i <= size; i++) {
      sum += Math.sqrt(i);
      if (i % step === 0 && i < size) yield { done: i, total: size, pid: process.pid };
    }
    yield { done: size, total: size, result: sum, pid: process.pid };
  },
};

expose(api);

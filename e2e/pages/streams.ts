import { connect } from '../../src/index';
import type { StreamsApi } from './streams.worker';

const remote = connect<StreamsApi>(new Worker(new URL('./streams.worker.ts', import.meta.url), { type: 'module' }));

/** Credit window of the download, so a test can bound how far the producer may run ahead. */
export const DOWNLOAD_WINDOW = 256;

async function download(count: number, breakAt: number) {
  let received = 0;
  let inOrder = true;
  for await (const value of remote.$call('numbers', [count], { window: DOWNLOAD_WINDOW })) {
    inOrder &&= value === received;
    received++;
    if (value === breakAt) break;
  }
  return { received, inOrder };
}

async function* upTo(count: number) {
  for (let i = 0; i < count; i++) yield i;
}

declare global {
  interface Window {
    streams: {
      /** Downloads `count` numbers (leaving at `breakAt`) while the worker sums an upload of `count` numbers. */
      both(count: number, breakAt?: number): Promise<{
        download: { received: number; inOrder: boolean };
        upload: { count: number; total: number };
      }>;
      report(): Promise<{ produced: number; finallyRan: string[] }>;
      window: number;
    };
  }
}

window.streams = {
  async both(count, breakAt = -1) {
    const [down, up] = await Promise.all([download(count, breakAt), remote.sum(upTo(count))]);
    return { download: down, upload: up };
  },
  report: () => remote.report(),
  window: DOWNLOAD_WINDOW,
};

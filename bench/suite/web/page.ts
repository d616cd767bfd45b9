import * as Comlink from 'comlink';
import { connect } from '../../../src/index';
import { bareClient } from '../contenders/bare';
import { birpcClient } from '../contenders/birpc';
import { comlinkClient } from '../contenders/comlink';
import { limitClient } from '../contenders/limit';
import { portwireClient, type ServerApi } from '../contenders/portwire';
import { PROBE_BYTES } from '../probe';
import { runSuite, type SuiteResult } from '../runSuite';
import type { Client, ContenderName, Host, Port, SuiteConfig } from '../types';

// Chromium host: the page is the caller, each contender answers from its own dedicated Worker,
// loaded as worker.js?c=<name> so memory measurements can tell the workers apart. Needs
// cross-origin isolation (SharedArrayBuffer, measureUserAgentSpecificMemory) and --expose-gc.

interface MemoryBreakdown {
  bytes: number;
  attribution: Array<{ url?: string; scope?: string }>;
  types: string[];
}
const page = globalThis as unknown as {
  gc?: () => void;
  runBench?: (config: SuiteConfig) => Promise<SuiteResult>;
};
const measureMemory = (performance as unknown as { measureUserAgentSpecificMemory(): Promise<{ breakdown: MemoryBreakdown[] }> })
  .measureUserAgentSpecificMemory;

const reply = (port: MessagePort, message?: unknown) =>
  new Promise<any>((resolve) => {
    port.onmessage = (event) => resolve(event.data);
    if (message !== undefined) port.postMessage(message);
  });

function makeClient(name: ContenderName, worker: Worker): Client {
  const port: Port = {
    post: (data, transfer) => worker.postMessage(data, transfer as never),
    listen: (handler) => worker.addEventListener('message', (event) => handler(event.data)),
  };
  if (name === 'bare') return bareClient(port);
  if (name === 'limit') return limitClient(port);
  if (name === 'comlink') return comlinkClient(worker as Comlink.Endpoint);
  if (name === 'birpc') return birpcClient(port);
  return portwireClient(connect<ServerApi>(worker));
}

const host: Host = {
  name: 'chromium',
  log: (line) => console.log(`[chromium] ${line}`),
  async start(name) {
    const shared = new SharedArrayBuffer(PROBE_BYTES);
    const { port1, port2 } = new MessageChannel();
    const url = `./worker.js?c=${name}`;
    const worker = new Worker(url, { type: 'module' });
    worker.postMessage({ setup: { name, shared, control: port2 } }, [port2]);
    await reply(port1);
    return {
      name,
      client: makeClient(name, worker),
      shared: new Int32Array(shared),
      settle: () => reply(port1, 'ping'),
      async collect() {
        await reply(port1, 'gc');
        page.gc!();
      },
      async memory() {
        await reply(port1, 'gc');
        page.gc!();
        page.gc!();
        const { breakdown } = await measureMemory.call(performance);
        let main = 0;
        let inWorker = 0;
        for (const entry of breakdown) {
          if (!entry.types.includes('JavaScript')) continue;
          if (entry.attribution.some((a) => a.scope === 'Window')) main += entry.bytes;
          else if (entry.attribution.some((a) => a.url?.endsWith(`worker.js?c=${name}`))) inWorker += entry.bytes;
        }
        return { main, worker: inWorker };
      },
    };
  },
};

page.runBench = async (config) => {
  if (!crossOriginIsolated || !page.gc) throw new Error('bench: the page needs cross-origin isolation and --js-flags=--expose-gc');
  return runSuite(host, config);
};

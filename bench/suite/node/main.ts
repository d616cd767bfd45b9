import { writeFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import nodeEndpoint from 'comlink/dist/esm/node-adapter';
import { connect } from '../../../src/node/index';
import { bareClient } from '../contenders/bare';
import { birpcClient } from '../contenders/birpc';
import { comlinkClient } from '../contenders/comlink';
import { limitClient } from '../contenders/limit';
import { portwireClient, type ServerApi } from '../contenders/portwire';
import { PROBE_BYTES } from '../probe';
import { runSuite } from '../runSuite';
import type { Client, ContenderName, Host, Port, SuiteConfig } from '../types';

// Node host: this thread is the caller, each contender answers from its own worker_threads Worker.
// Run with --expose-gc (workers inherit it). argv: config JSON, worker bundle path, output file.
const [configJson, workerFile, outFile] = process.argv.slice(2) as [string, string, string];
const config = JSON.parse(configJson) as SuiteConfig;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('bench: run the Node host with --expose-gc');
const workers: Worker[] = [];

const reply = (port: MessagePort, message?: unknown) =>
  new Promise<any>((resolve) => {
    port.once('message', resolve);
    if (message !== undefined) port.postMessage(message);
  });

function makeClient(name: ContenderName, worker: Worker): Client {
  const port: Port = {
    post: (data, transfer) => worker.postMessage(data, transfer as never),
    listen: (handler) => void worker.on('message', handler),
  };
  if (name === 'bare') return bareClient(port);
  if (name === 'limit') return limitClient(port);
  if (name === 'comlink') return comlinkClient(nodeEndpoint(worker as never));
  if (name === 'birpc') return birpcClient(port);
  return portwireClient(connect<ServerApi>(worker));
}

const host: Host = {
  name: 'node',
  log: (line) => void process.stderr.write(`[node] ${line}\n`),
  async start(name) {
    const shared = new SharedArrayBuffer(PROBE_BYTES);
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(workerFile, { workerData: { name, shared, control: port2 }, transferList: [port2] });
    workers.push(worker);
    await reply(port1);
    return {
      name,
      client: makeClient(name, worker),
      shared: new Int32Array(shared),
      settle: () => reply(port1, 'ping'),
      async collect() {
        const collected = reply(port1, 'gc');
        gc();
        await collected;
      },
      async memory() {
        const workerHeap = reply(port1, 'gc');
        gc();
        gc();
        return { main: getHeapStatistics().used_heap_size, worker: await workerHeap };
      },
    };
  },
};

const result = await runSuite(host, config);
writeFileSync(outFile, JSON.stringify(result));
await Promise.all(workers.map((w) => w.terminate()));
process.exit(0);

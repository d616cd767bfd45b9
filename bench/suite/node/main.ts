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

// Node host: this thread is the caller; every contender answers from one worker_threads Worker,
// each over a MessageChannel of its own (worker.ts says why one thread).
// Run with --expose-gc (workers inherit it). argv: config JSON, worker bundle path, output file.
const [configJson, workerFile, outFile] = process.argv.slice(2) as [string, string, string];
const config = JSON.parse(configJson) as SuiteConfig;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('bench: run the Node host with --expose-gc');

const reply = (port: MessagePort, message?: unknown) =>
  new Promise<any>((resolve) => {
    port.once('message', resolve);
    if (message !== undefined) port.postMessage(message);
  });

function makeClient(name: ContenderName, port: MessagePort): Client {
  const raw: Port = {
    post: (data, transfer) => port.postMessage(data, transfer as never),
    listen: (handler) => void port.on('message', handler),
  };
  if (name === 'bare') return bareClient(raw);
  if (name === 'limit') return limitClient(raw);
  if (name === 'comlink') return comlinkClient(nodeEndpoint(port as never));
  if (name === 'birpc') return birpcClient(raw);
  return portwireClient(connect<ServerApi>(port));
}

const channel = new MessageChannel();
const control = channel.port1;
const worker = new Worker(workerFile, { workerData: { control: channel.port2 }, transferList: [channel.port2] });
const started = reply(control);
// One worker, so one settle for all (runSuite calls each distinct one once).
const settle = () => reply(control, 'ping');

const host: Host = {
  name: 'node',
  log: (line) => void process.stderr.write(`[node] ${line}\n`),
  async start(name) {
    await started;
    const shared = new SharedArrayBuffer(PROBE_BYTES);
    const { port1, port2 } = new MessageChannel();
    const ready = reply(control);
    worker.postMessage({ name, shared, port: port2 }, [port2]);
    await ready;
    return {
      name,
      client: makeClient(name, port1),
      shared: new Int32Array(shared),
      settle,
      async collect() {
        const collected = reply(control, 'gc');
        gc();
        await collected;
      },
      async memory() {
        const workerHeap = reply(control, 'gc');
        gc();
        gc();
        return { main: getHeapStatistics().used_heap_size, worker: await workerHeap };
      },
    };
  },
};

const result = await runSuite(host, config);
writeFileSync(outFile, JSON.stringify(result));
await worker.terminate();
process.exit(0);

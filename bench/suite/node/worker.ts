import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import nodeEndpoint from 'comlink/dist/esm/node-adapter';
import { expose } from '../../../src/node/index';
import { bareServer } from '../contenders/bare';
import { birpcServer } from '../contenders/birpc';
import { comlinkServer } from '../contenders/comlink';
import { limitServer } from '../contenders/limit';
import { portwireServer } from '../contenders/portwire';
import type { ContenderName, Port } from '../types';

// The one worker_threads Worker every contender answers from, each over its own MessagePort (sent
// on parentPort with its probe buffer); `control` is a side channel for the harness (ready; ping,
// answered once this thread has gone quiet; gc, answered with the heap in use) that no contender
// sees. One thread for all: on a small VM a thread's round trip can be about 10 µs or about 85 µs
// for seconds at a time, and contenders on threads of their own would be compared on that.
const { control } = workerData as { control: MessagePort };

parentPort!.on('message', ({ name, shared, port }: { name: ContenderName; shared: SharedArrayBuffer; port: MessagePort }) => {
  const view = new Int32Array(shared);
  const raw: Port = {
    post: (data, transfer) => port.postMessage(data, transfer as never),
    listen: (handler) => void port.on('message', handler),
  };
  if (name === 'bare') bareServer(raw, view);
  else if (name === 'limit') limitServer(raw, view);
  else if (name === 'comlink') comlinkServer(nodeEndpoint(port as never), view);
  else if (name === 'birpc') birpcServer(raw, view);
  else portwireServer((api) => expose(api, port), view);
  control.postMessage('ready');
});

/**
 * Resolves once this thread's event loop has been nearly idle for a 2 ms slice: the queue of work a
 * Comlink or birpc stream leaves (answers to its callbacks, on ports of its own) is done.
 */
async function quiet(): Promise<void> {
  for (let slice = 0; slice < 1000; slice++) {
    const start = performance.eventLoopUtilization();
    await new Promise((resolve) => setTimeout(resolve, 2));
    if (performance.eventLoopUtilization(start).utilization < 0.1) return;
  }
}

const gc = (globalThis as { gc?: () => void }).gc;
control.on('message', async (message) => {
  if (message === 'ping') {
    await quiet();
    return control.postMessage('pong');
  }
  gc?.();
  gc?.();
  control.postMessage(getHeapStatistics().used_heap_size);
});
control.postMessage('ready');

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

// The worker side of one contender in a worker_threads Worker; `control` is a side channel for
// the harness (ready; ping, answered once what came before it is handled; gc, answered with the
// heap in use) that no contender sees.
const { name, shared, control } = workerData as { name: ContenderName; shared: SharedArrayBuffer; control: MessagePort };
const parent = parentPort!;
const view = new Int32Array(shared);
const port: Port = {
  post: (data, transfer) => parent.postMessage(data, transfer as never),
  listen: (handler) => void parent.on('message', handler),
};

if (name === 'bare') bareServer(port, view);
else if (name === 'limit') limitServer(port, view);
else if (name === 'comlink') comlinkServer(nodeEndpoint(parent as never), view);
else if (name === 'birpc') birpcServer(port, view);
else portwireServer((api) => expose(api, parent), view);

const gc = (globalThis as { gc?: () => void }).gc;
control.on('message', (message) => {
  if (message === 'ping') return control.postMessage('pong');
  gc?.();
  gc?.();
  control.postMessage(getHeapStatistics().used_heap_size);
});
control.postMessage('ready');

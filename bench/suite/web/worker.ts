import * as Comlink from 'comlink';
import { expose } from '../../../src/index';
import { bareServer } from '../contenders/bare';
import { birpcServer } from '../contenders/birpc';
import { comlinkServer } from '../contenders/comlink';
import { limitServer } from '../contenders/limit';
import { portwireServer } from '../contenders/portwire';
import type { ContenderName, Port } from '../types';

// The worker side of one contender in a dedicated module Worker. The first message sets it up and
// brings `control`, a side channel for the harness (ready, ping, gc) that no contender sees.
interface Setup {
  name: ContenderName;
  shared: SharedArrayBuffer;
  control: MessagePort;
}
const scope = globalThis as unknown as Comlink.Endpoint & { gc?: () => void };

scope.addEventListener('message', function setup(event: MessageEvent<{ setup: Setup }>) {
  scope.removeEventListener('message', setup as never);
  const { name, shared, control } = event.data.setup;
  const view = new Int32Array(shared);
  const port: Port = {
    post: (data, transfer) => scope.postMessage(data, transfer as never),
    listen: (handler) => scope.addEventListener('message', ((e: MessageEvent) => handler(e.data)) as EventListener),
  };
  if (name === 'bare') bareServer(port, view);
  else if (name === 'limit') limitServer(port, view);
  else if (name === 'comlink') comlinkServer(scope, view);
  else if (name === 'birpc') birpcServer(port, view);
  else portwireServer((api) => expose(api), view);
  control.onmessage = (event) => {
    if (event.data === 'ping') return control.postMessage('pong');
    scope.gc?.();
    scope.gc?.();
    control.postMessage('collected');
  };
  control.postMessage('ready');
} as never);

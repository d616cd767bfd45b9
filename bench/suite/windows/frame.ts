import { expose, windowEndpoint } from '../../../src/index';
import { bareServer } from '../contenders/bare';
import { limitServer } from '../contenders/limit';
import { portwireServer } from '../contenders/portwire';
import type { Port } from '../types';
import { pageOrigin, portOver, windowHeap } from './origins';
import { penpalServer } from './penpal';

// The iframe side of one contender (frame.html?c=<name>), on another origin than the page. The
// page's first message sets it up and brings `control`, a port for the harness (gc) that no
// contender sees. Nothing is shared with the page: no SharedArrayBuffer crosses agent clusters.
const name = new URLSearchParams(location.search).get('c');
const parentOrigin = pageOrigin(self.origin);
const scope = globalThis as unknown as { gc?: () => void };

function setup(event: MessageEvent): void {
  if (event.source !== window.parent || event.origin !== parentOrigin || event.data !== 'setup') return;
  removeEventListener('message', setup);
  const control = event.ports[0]!;
  const local = new Int32Array(16);
  // window.postMessage both ways, only to and from the parent's origin.
  const port: Port = {
    post: (data, transfer) => window.parent.postMessage(data, parentOrigin, transfer ?? []),
    listen: (handler) =>
      addEventListener('message', (e) => {
        if (e.source === window.parent && e.origin === parentOrigin) handler(e.data);
      }),
  };
  if (name === 'bare') bareServer(port, local);
  else if (name === 'port') bareServer(portOver(event.ports[1]!), local);
  else if (name === 'limit') limitServer(port, local);
  else if (name === 'penpal') penpalServer(parentOrigin, local);
  else portwireServer((api) => expose(api, windowEndpoint(window.parent, { targetOrigin: parentOrigin })), local);
  // 'ping': answered at once; 'gc': full GCs here; 'heap': the same, then this frame's own JS heap.
  control.onmessage = async (message) => {
    if (message.data === 'ping') return control.postMessage('pong');
    scope.gc?.();
    scope.gc?.();
    control.postMessage(message.data === 'heap' ? await windowHeap() : 'collected');
  };
  control.postMessage('ready');
}
addEventListener('message', setup);

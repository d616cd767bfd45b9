import { connect, windowEndpoint } from '../../../src/index';
import { bareClient } from '../contenders/bare';
import { limitClient } from '../contenders/limit';
import { portwireClient, type ServerApi } from '../contenders/portwire';
import { PROBE_BYTES } from '../probe';
import { runSuite, type SuiteResult } from '../runSuite';
import type { Client, ContenderName, Host, Port, SuiteConfig } from '../types';
import { frameOrigin, portOver, windowHeap } from './origins';
import { penpalClient } from './penpal';

// The iframe row: this page calls, a cross-origin iframe per contender answers (bare and the
// batched limit over window.postMessage, bare over a MessagePort handed to the frame, penpal 7,
// portwire over windowEndpoint). The same scenarios and rounds as the worker rows (runSuite),
// minus the window probe (no SharedArrayBuffer reaches a cross-origin frame) and the 64 MB echo.

const page = globalThis as unknown as { gc?: () => void; runFrameBench?: (config: SuiteConfig) => Promise<SuiteResult> };
const child = frameOrigin(self.origin);

// One 'message' listener for the contenders that use window.postMessage, by source window.
const windowHandlers = new Map<MessageEventSource, (data: unknown) => void>();
addEventListener('message', (event) => {
  if (event.origin === child && event.source) windowHandlers.get(event.source)?.(event.data);
});

const reply = (port: MessagePort, message?: unknown) =>
  new Promise<any>((resolve) => {
    port.onmessage = (event) => resolve(event.data);
    if (message !== undefined) port.postMessage(message);
  });

async function makeClient(name: string, frame: Window, own: MessagePort): Promise<Client> {
  const port: Port = {
    post: (data, transfer) => frame.postMessage(data, child, transfer ?? []),
    listen: (handler) => void windowHandlers.set(frame, handler),
  };
  if (name === 'bare') return bareClient(port);
  if (name === 'limit') return limitClient(port);
  // The floor for anything that moves to a port after a handshake (penpal, windowEndpoint).
  if (name === 'port') return bareClient(portOver(own));
  if (name === 'penpal') return penpalClient(frame, child);
  return portwireClient(connect<ServerApi>(windowEndpoint(frame, { targetOrigin: child })));
}

const host: Host = {
  name: 'chromium',
  log: (line) => console.log(`[iframe] ${line}`),
  async start(name) {
    const iframe = document.createElement('iframe');
    iframe.src = `${child}/frame.html?c=${name}`;
    // Cross-origin isolated too, so it can measure its own memory.
    iframe.allow = 'cross-origin-isolated';
    const loaded = new Promise((resolve) => (iframe.onload = resolve));
    document.body.append(iframe);
    await loaded;
    const frame = iframe.contentWindow!;
    const { port1, port2 } = new MessageChannel();
    // A second port, for the contender that talks over one (`port`); the others leave it unused.
    const own = new MessageChannel();
    const ready = reply(port1);
    frame.postMessage('setup', child, [port2, own.port2]);
    await ready;
    return {
      name,
      client: await makeClient(name, frame, own.port1),
      // This page's own: the frame cannot share it, so the window probe reads nothing here.
      shared: new Int32Array(new SharedArrayBuffer(PROBE_BYTES)),
      settle: () => reply(port1, 'ping'),
      async collect() {
        await reply(port1, 'gc');
        page.gc!();
      },
      async memory() {
        // A cross-origin frame's memory is not in this page's breakdown: it measures its own.
        const inFrame: number = await reply(port1, 'heap');
        page.gc!();
        page.gc!();
        return { main: await windowHeap(), worker: inFrame };
      },
    };
  },
};

page.runFrameBench = async (config) => {
  if (!crossOriginIsolated || !page.gc) throw new Error('bench: the page needs cross-origin isolation and --js-flags=--expose-gc');
  const result = await runSuite(host, { ...config, contenders: config.contenders as ContenderName[] });
  return { ...result, maxAhead: {} };
};

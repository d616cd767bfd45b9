import { createPeer, windowEndpoint, type IgnoredReason, type Peer, type WindowEndpointOptions } from '../../src/index';
import { counting, createWindowApi, settle, type Command, type WindowApi } from './window.api';

// A child window of e2e/windows.spec.ts: an iframe (`?peer=parent`, the default) or a popup
// (`?peer=opener`). `?to=` is the top page's origin, `?name=` what whoami() answers, `?auto=`
// a channel to connect on load. Everything else is driven by test commands the top page posts
// (`{ pwtest: Command }`), answered with `{ pwtestReply: id, value }`: start an endpoint, call,
// post junk or forged handshakes, report state.

const params = new URLSearchParams(location.search);
const name = params.get('name') ?? 'child';
const target = (params.get('peer') === 'opener' ? window.opener : window.parent) as Window;
const to = params.get('to') ?? location.origin;

const peers = new Map<string, Peer<WindowApi>>();
const ignored: Record<string, IgnoredReason[]> = {};
const closed: Record<string, string | null> = {};
const escaped: string[] = [];
const counter = { handled: 0 };
// Anyone in this window listening to window messages: portwire's traffic must never pass here.
let spiedWire = 0;
addEventListener('message', (event) => Array.isArray(event.data) && event.data[0] === 'portwire:2' && spiedWire++);
addEventListener('error', (event) => escaped.push(`error: ${event.message}`));
addEventListener('unhandledrejection', (event) => escaped.push(`unhandledrejection: ${String(event.reason?.stack ?? event.reason)}`));

// In a sandboxed iframe (opaque origin) the default targetOrigin, its own "null", must be refused.
let defaultError: unknown = null;
if (self.origin === 'null') {
  try {
    windowEndpoint(target);
  } catch (error) {
    defaultError = (error as { code?: unknown }).code;
  }
}

function start(channel: string, options: Partial<WindowEndpointOptions> & { heartbeat?: number } = {}): void {
  const { heartbeat, ...endpointOptions } = options;
  const list = (ignored[channel] = [] as IgnoredReason[]);
  const { api, state } = createWindowApi(`${name}:${channel}`);
  const endpoint = windowEndpoint(target, { targetOrigin: to, channel, onIgnored: (reason) => list.push(reason), ...endpointOptions });
  // Why the transport closed the peer (a version mismatch, say), for the report.
  const onClose = endpoint.onClose!.bind(endpoint);
  endpoint.onClose = (handler) => onClose((reason) => handler((closed[channel] = reason)));
  const peer = createPeer<WindowApi>(endpoint, { handlers: api, middleware: [counting(state), counting(counter)], heartbeat: heartbeat ?? 0 });
  peers.set(channel, peer);
  closed[channel] = null;
  // A close the other side asked for has no event: poll, for the report only.
  const timer = setInterval(() => {
    if (!peer.closed) return;
    clearInterval(timer);
    closed[channel] ??= 'closed';
  }, 5);
}

async function run(command: Command): Promise<unknown> {
  const channel = String(command.channel ?? '');
  switch (command.op) {
    case 'start':
      start(channel, command.options as WindowEndpointOptions);
      return true;
    case 'call': {
      const peer = peers.get(channel);
      if (!peer) return { settled: 'rejected', message: `no peer on channel ${channel}` };
      return settle(peer.remote.$call(command.method as never, command.args as never, { timeout: Number(command.timeout ?? 0) }));
    }
    case 'close':
      peers.get(channel)?.close();
      return true;
    case 'post':
      // Raw data to the target window, as a hostile or foreign script in this window would.
      for (const item of command.items as unknown[]) target.postMessage(item, '*');
      return true;
    case 'forgePort': {
      // A perfectly shaped port hand-over, with a live port, addressed to `to`.
      const { port1, port2 } = new MessageChannel();
      port1.onmessage = () => (counter.handled += 1000);
      target.postMessage({ portwire: 'window', version: 'portwire:2', channel, kind: 'port', from: 0, to: command.to }, '*', [port2]);
      return true;
    }
    case 'state':
      return { origin: self.origin, ignored, closed, handled: counter.handled, escaped, defaultError, spiedWire };
    default:
      return `unknown op ${command.op}`;
  }
}

addEventListener('message', (event: MessageEvent<{ pwtest?: Command }>) => {
  const command = event.data?.pwtest;
  if (!command || event.source !== target) return;
  void run(command).then((value) => target.postMessage({ pwtestReply: command.id, value }, '*'));
});

if (params.has('auto')) start(params.get('auto')!);
// Tells the top page this document runs (after any auto start, so its hello has left).
target.postMessage({ pwtestLoaded: name, origin: self.origin }, '*');

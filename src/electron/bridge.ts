import { PortwireError } from '../errors/PortwireError.js';
import { BRIDGE_KEY, CONNECT, PORT, READY, isChannel, isHandover, isRequest } from './handover.js';
import type { ContextBridgeLike, IpcRendererLike } from './types.js';

/** The whole of what the preload exposes to the page: a way to ask for a port, nothing more. */
export interface PortwireBridge {
  /** Asks main for a port on `channel`; it arrives as a window message the page's `mainEndpoint` takes. */
  connect(channel: string): void;
}

export interface ExposeOptions {
  /**
   * Electron's renderer modules, for use outside a preload (tests).
   * @default require('electron')
   * @example exposePortwire({ electron: { contextBridge, ipcRenderer } })
   */
  electron?: { contextBridge: ContextBridgeLike; ipcRenderer: IpcRendererLike };
  /**
   * The window the ports are posted into.
   * @default window
   * @example exposePortwire({ window: someWindow })
   */
  window?: { postMessage(message: unknown, targetOrigin: string, transfer: unknown[]): void };
}

export { BRIDGE_KEY };

const exposed = new WeakSet<object>();

function rendererModules(): NonNullable<ExposeOptions['electron']> {
  // `require` is a sandboxed preload's own (it loads only 'electron' and a few built-ins); read
  // now, not at import, so this module loads anywhere.
  let loaded: Partial<NonNullable<ExposeOptions['electron']>> | undefined;
  try {
    loaded = typeof require === 'function' ? require('electron') : undefined;
  } catch {
    // Plain Node: the npm package's index throws when its binary is missing.
  }
  if (!loaded?.contextBridge || !loaded.ipcRenderer) {
    throw new PortwireError('NOT_ELECTRON', "portwire: exposePortwire() runs in an Electron preload script; elsewhere pass { electron: { contextBridge, ipcRenderer } }");
  }
  return loaded as NonNullable<ExposeOptions['electron']>;
}

/**
 * Exposes `window.portwire` to the page through `contextBridge` (so it works with
 * `contextIsolation: true` and `sandbox: true`): one function that asks main for a port. The page
 * never sees `ipcRenderer`. A port main hands over is posted into the page with
 * `window.postMessage`, since ports cannot cross the context bridge; the page's `mainEndpoint`
 * takes it, checking that it came from its own window. Calling it again does nothing.
 *
 * The preload this package ships (`portwire/electron/preload`, loaded by path) calls it; call it
 * yourself in a preload you bundle.
 * @example
 * // preload.ts, bundled to one CommonJS file with 'electron' external
 * import { exposePortwire } from 'portwire/electron/preload';
 * exposePortwire();
 */
export function exposePortwire(options: ExposeOptions = {}): void {
  const target = options.window ?? (globalThis as unknown as NonNullable<ExposeOptions['window']>);
  if (exposed.has(target)) return;
  const { contextBridge, ipcRenderer } = options.electron ?? rendererModules();
  // Channels the page asked for and has no port for yet: a READY from main asks again for them.
  const waiting = new Set<string>();
  ipcRenderer.on(PORT, (event: { ports?: readonly unknown[] }, data: unknown) => {
    const port = event?.ports?.[0];
    if (!isHandover(data) || !port || !waiting.delete(data.channel)) return;
    target.postMessage({ portwire: data.portwire, channel: data.channel, transfers: data.transfers }, '*', [port]);
  });
  ipcRenderer.on(READY, (_event: unknown, data: unknown) => {
    if (isRequest(data) && waiting.has(data.channel)) ipcRenderer.send(CONNECT, { channel: data.channel });
  });
  const bridge: PortwireBridge = {
    connect(channel) {
      if (!isChannel(channel)) throw new TypeError('portwire: a channel is a string of at most 256 characters');
      waiting.add(channel);
      ipcRenderer.send(CONNECT, { channel });
    },
  };
  contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge);
  exposed.add(target);
}

import { PortwireError } from '../errors/PortwireError.js';
import type { Transport } from '../transports/Transport.js';
import { CONNECT, PORT, READY, isHandover, isRequest } from './handover.js';
import { laterTransport } from './laterTransport.js';
import { labelFor, pagePort } from './pagePort.js';
import type { IpcRendererLike } from './types.js';

export interface PreloadEndpointOptions {
  /**
   * Pairs this endpoint with main's `rendererEndpoint(…, { channel })` (or a `brokerPorts` channel).
   * Use a channel of its own: one the page does not ask for too.
   * @default '' (the unnamed channel)
   * @example preloadEndpoint({ channel: 'settings' })
   */
  channel?: string;
  /**
   * Electron's `ipcRenderer`, for use outside a preload (tests).
   * @default require('electron').ipcRenderer
   * @example preloadEndpoint({ ipcRenderer })
   */
  ipcRenderer?: IpcRendererLike;
}

function ownIpcRenderer(): IpcRendererLike {
  let loaded: { ipcRenderer?: IpcRendererLike } | undefined;
  try {
    loaded = typeof require === 'function' ? require('electron') : undefined;
  } catch {}
  if (!loaded?.ipcRenderer) throw new PortwireError('NOT_ELECTRON', 'portwire: preloadEndpoint() runs in an Electron preload script; elsewhere pass { ipcRenderer }');
  return loaded.ipcRenderer;
}

/**
 * A Transport from the preload itself to main, for apps that keep portwire out of the page: the
 * peer runs in the preload's isolated world and the page gets only the functions you pass to
 * `contextBridge.exposeInMainWorld`. Main checks the frame as for any page (`rendererEndpoint`).
 * @example
 * const main = connect<MainApi>(preloadEndpoint({ channel: 'settings' }));
 * contextBridge.exposeInMainWorld('settings', { get: (key: string) => main.get(key) });
 */
export function preloadEndpoint(options: PreloadEndpointOptions = {}): Transport {
  const channel = options.channel ?? '';
  const ipc = options.ipcRenderer ?? ownIpcRenderer();
  const later = laterTransport(
    () => (later.attached ? labelFor('ports', channel) : `the main process (no port for channel ${JSON.stringify(channel)} yet: does main make a rendererEndpoint for it?)`),
    () => {
      const onPort = (event: { ports?: readonly MessagePort[] }, data: unknown) => {
        const port = event?.ports?.[0];
        if (later.attached || !port || !isHandover(data) || data.channel !== channel) return;
        later.attach(pagePort(port, data.transfers, labelFor(data.transfers, channel)));
      };
      const onReady = (_event: unknown, data: unknown) => {
        if (!later.attached && isRequest(data) && data.channel === channel) ipc.send(CONNECT, { channel });
      };
      ipc.on(PORT, onPort);
      ipc.on(READY, onReady);
      ipc.send(CONNECT, { channel });
      return () => {
        ipc.off(PORT, onPort);
        ipc.off(READY, onReady);
      };
    },
  );
  return later.transport;
}

import type { Transport } from '../transports/Transport.js';
import { electronMain } from './electronMain.js';
import { PORT, handover } from './handover.js';
import { laterTransport } from './laterTransport.js';
import { offerPort } from './offerPort.js';
import { portEndpoint } from './portEndpoint.js';
import { senderRules, type ElectronIgnoredReason, type SenderOptions } from './senderRules.js';
import { watchContents } from './watchContents.js';
import type { WebContentsLike } from './types.js';

export interface RendererEndpointOptions extends SenderOptions {
  /**
   * Pairs this endpoint with the page's `mainEndpoint({ channel })`, so one window can carry
   * several independent connections.
   * @default '' (the unnamed channel)
   * @example rendererEndpoint(win.webContents, { channel: 'editor' })
   */
  channel?: string;
}

/**
 * A Transport from Electron's main process to the page in `contents` (a window's
 * `webContents`). The page asks for a port through the preload bridge; main checks the asking
 * frame (see `SenderOptions`) and answers with one end of a new `MessageChannelMain`, which then
 * carries everything: no IPC per message, and later messages need no check. Calls made before
 * the page connects wait for it (up to their timeout).
 *
 * One endpoint is one connection to one document: when the renderer is destroyed or crashes, or
 * its main frame loads a new document, the peer closes and pending calls reject with
 * `PeerClosedError`. To talk to the next document, make a new endpoint (on 'did-navigate', say).
 * Only MessagePorts can be transferred through main; other transfers are refused (`NO_TRANSFER`).
 * @example
 * const ui = createPeer<RendererApi>(rendererEndpoint(win.webContents), { handlers: mainApi });
 */
export function rendererEndpoint(contents: WebContentsLike, options: RendererEndpointOptions = {}): Transport {
  const channel = options.channel ?? '';
  // Asked for now, so a missing Electron is an error here rather than in an IPC listener.
  const electron = electronMain(options.electron);
  const rules = senderRules(contents, options, () => electron);
  let refused: ElectronIgnoredReason | undefined;
  const onIgnored = (reason: ElectronIgnoredReason, data: unknown) => {
    if (reason !== 'channel') refused = reason;
    options.onIgnored?.(reason, data);
  };
  const where = () => `the renderer at ${contents.isDestroyed() ? '(destroyed)' : contents.getURL() || '(nothing loaded yet)'}`;
  let port: { close(): void } | undefined;
  const later = laterTransport(
    () =>
      later.attached
        ? where()
        : `${where()} (no port handed over yet${refused ? `; a request was ignored: ${refused}, allowed: ${rules.describe()}` : ''}; does its preload expose portwire, and does the page use mainEndpoint(${channel ? `{ channel: ${JSON.stringify(channel)} }` : ''})?)`,
    () => {
      const unwatch = watchContents(contents, () => later.attached, later.close);
      // The channel is made only for a request that passed the check, so a refused page never holds a port.
      const withdraw = offerPort(contents, { channel, check: rules.check, onIgnored, subframes: options.allowSubframes === true }, (frame) => {
        const { port1, port2 } = new electron.MessageChannelMain();
        port = port1;
        frame.postMessage(PORT, handover(channel, 'ports'), [port2]);
        later.attach(portEndpoint(port1, where()));
      });
      return () => {
        withdraw();
        unwatch();
        rules.stop();
        port?.close();
      };
    },
  );
  return later.transport;
}

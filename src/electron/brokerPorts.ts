import { electronMain } from './electronMain.js';
import { PORT, handover } from './handover.js';
import { offerPort } from './offerPort.js';
import { senderRules, type SenderOptions } from './senderRules.js';
import { watchContents } from './watchContents.js';
import type { MessagePortMainLike, WebContentsLike } from './types.js';

export interface BrokerOptions extends SenderOptions {
  /**
   * The channel both pages connect on: each calls `mainEndpoint({ channel })`.
   * @default '' (the unnamed channel)
   * @example brokerPorts(editor.webContents, preview.webContents, { channel: 'preview' })
   */
  channel?: string;
}

/**
 * Connects the pages of two windows directly: one `MessageChannelMain`, one end handed to each
 * page when it asks on `channel` (`mainEndpoint({ channel })` in both) and passes the sender
 * check of its own window. The ports then link the two renderers with nothing in between, so
 * everything transfers, ArrayBuffers included. Either page may ask first; a port waits for its page.
 *
 * Returns `cancel()`: ports not handed over yet are closed (the page that has one sees its peer
 * close). A window destroyed or crashed before taking its port cancels too. Once both
 * pages hold their ports, the connection is theirs: it ends when either page closes or goes away.
 * @example
 * brokerPorts(editor.webContents, preview.webContents, { channel: 'preview' });
 * // in each page
 * const other = createPeer<OtherApi>(mainEndpoint({ channel: 'preview' }), { handlers });
 */
export function brokerPorts(a: WebContentsLike, b: WebContentsLike, options: BrokerOptions = {}): () => void {
  const channel = options.channel ?? '';
  // Asked for now, so a missing Electron is an error here rather than in an IPC listener.
  const electron = electronMain(options.electron);
  const { port1, port2 } = new electron.MessageChannelMain();
  const offers: Array<() => void> = [];
  // Each offer's stop withdraws it and closes its port if that port was not handed over.
  const cancel = () => {
    for (const stop of offers.splice(0)) stop();
  };
  const offer = (contents: WebContentsLike, port: MessagePortMainLike) => {
    let handed = false;
    const rules = senderRules(contents, options, () => electron);
    // Before its hand-over a navigation only means the next document takes the port; death cancels.
    const unwatch = watchContents(contents, () => false, () => handed || cancel());
    const withdraw = offerPort(contents, { channel, check: rules.check, onIgnored: options.onIgnored, subframes: options.allowSubframes === true }, (frame) => {
      handed = true;
      frame.postMessage(PORT, handover(channel, 'all'), [port]);
      end();
    });
    const end = () => {
      withdraw();
      unwatch();
      rules.stop();
    };
    offers.push(() => {
      end();
      if (!handed) port.close();
    });
  };
  offer(a, port1);
  offer(b, port2);
  return cancel;
}

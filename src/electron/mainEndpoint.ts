import { PortwireError } from '../errors/PortwireError.js';
import type { Transport } from '../transports/Transport.js';
import type { PortwireBridge } from './bridge.js';
import { BRIDGE_KEY, isHandover } from './handover.js';
import { laterTransport } from './laterTransport.js';
import { labelFor, pagePort } from './pagePort.js';

/**
 * Why the page ignored a window message: `'source'` (posted by another window: an iframe, an
 * opener), `'malformed'` (not a portwire hand-over, or one without a port), `'channel'` (a port
 * for another channel), `'stale'` (this endpoint already has its port).
 */
export type PageIgnoredReason = 'source' | 'malformed' | 'channel' | 'stale';

/** The page's window as this endpoint uses it. */
export interface PageWindow {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

export interface MainEndpointOptions {
  /**
   * The channel to ask main for: pairs with `rendererEndpoint(…, { channel })`, or with the
   * channel of a `brokerPorts` that links this page to another window.
   * @default '' (the unnamed channel)
   * @example mainEndpoint({ channel: 'chat' })
   */
  channel?: string;
  /**
   * Sees every window message this endpoint did not take, with why (see `PageIgnoredReason`).
   * @default undefined (ignored silently)
   * @example mainEndpoint({ onIgnored: (reason, data) => console.debug('portwire ignored', reason, data) })
   */
  onIgnored?: (reason: PageIgnoredReason, data: unknown) => void;
  /**
   * The page's window, whose `portwire` bridge asks for the port and where the port arrives.
   * @default window
   * @example mainEndpoint({ window })
   */
  window?: PageWindow;
}

/**
 * A Transport from a page in an Electron window to main, or to another window main links it to
 * (`brokerPorts`): the page asks through the preload's bridge (`window.portwire`), and the port
 * main hands over after its sender check arrives as a message on this window, taken only when
 * its `event.source` is this window itself. That port then carries everything. Calls made
 * before it arrives wait for it. Either side may start first.
 *
 * Through main only MessagePorts can be transferred (refused otherwise, `NO_TRANSFER`); a port
 * to another renderer transfers everything.
 * @example
 * const main = connect<MainApi>(mainEndpoint());
 * await main.version();
 */
export function mainEndpoint(options: MainEndpointOptions = {}): Transport {
  const channel = options.channel ?? '';
  const win = options.window ?? (globalThis as unknown as PageWindow);
  const bridge = (win as unknown as Record<string, PortwireBridge | undefined>)[BRIDGE_KEY];
  if (typeof bridge?.connect !== 'function') {
    throw new PortwireError(
      'NO_BRIDGE',
      "portwire: window.portwire is missing: set the window's webPreferences.preload to portwire/electron/preload, or call exposePortwire() in your own preload",
    );
  }
  const ignore = (reason: PageIgnoredReason, data: unknown) => options.onIgnored?.(reason, data);
  const later = laterTransport(
    () => (later.attached ? label : `the main process (no port for channel ${JSON.stringify(channel)} yet: does main make a rendererEndpoint or brokerPorts for this window and channel, and does its sender check allow this page?)`),
    () => {
      win.addEventListener('message', onMessage);
      bridge.connect(channel);
      return () => win.removeEventListener('message', onMessage);
    },
  );
  let label = '';
  function onMessage(event: MessageEvent): void {
    const { data } = event;
    if (event.source !== win) return ignore('source', data);
    if (!isHandover(data) || !event.ports?.[0]) return ignore('malformed', data);
    if (data.channel !== channel) return ignore('channel', data);
    if (later.attached) return ignore('stale', data);
    label = labelFor(data.transfers, channel);
    later.attach(pagePort(event.ports[0], data.transfers, label));
    win.removeEventListener('message', onMessage);
  }
  return later.transport;
}

import { PortwireError } from '../errors/PortwireError.js';
import type { Transport } from './Transport.js';
import { shakeHands, type IgnoredReason } from './windowHandshake.js';

export type { IgnoredReason } from './windowHandshake.js';

export interface WindowEndpointOptions {
  /**
   * The origin messages to the window may go to. `'*'` (any document the window holds) only when
   * written out; an opaque origin cannot be addressed at all (see `allowOpaqueOrigin`).
   * @default self.origin (this document's own origin)
   * @example windowEndpoint(iframe.contentWindow!, { targetOrigin: 'https://widget.example' })
   */
  targetOrigin?: string;
  /**
   * Origins whose messages are accepted: exact origins, or RegExps matched against the origin
   * (anchor them: `/^https:\/\/[a-z]+\.example\.com$/`). Whatever it says, only messages from the
   * target window itself count, and an opaque origin only with `allowOpaqueOrigin`.
   * @default [targetOrigin], or [self.origin] when targetOrigin is '*'
   * @example windowEndpoint(window.parent, { targetOrigin: '*', allowedOrigins: [/^https:\/\/(app|admin)\.example\.com$/] })
   */
  allowedOrigins?: ReadonlyArray<string | RegExp>;
  /**
   * A name pairing this endpoint with the endpoint of the same name in the other window, so one
   * window pair can carry several independent connections. Names never pair crosswise.
   * @default '' (the unnamed channel)
   * @example windowEndpoint(popup, { targetOrigin, channel: 'editor' })
   */
  channel?: string;
  /**
   * Sees every window message this endpoint did not take, with why: `'origin'` (not allowed),
   * `'source'` (another window), `'malformed'` (not a portwire handshake), `'channel'`,
   * `'version'` (another portwire protocol; the connection closes), `'stale'` (a handshake that
   * no longer applies: a duplicate, a port for another endpoint).
   * @default undefined (ignored silently)
   * @example windowEndpoint(frame, { targetOrigin, onIgnored: (reason, data) => console.debug('portwire ignored', reason, data) })
   */
  onIgnored?: (reason: IgnoredReason, data: unknown) => void;
  /**
   * Accepts a window with an opaque origin (`"null"`: a sandboxed iframe without
   * `allow-same-origin`). Such a window can only be reached with `targetOrigin: '*'`, which must
   * be written out too, and nothing but its being the target window identifies it: whatever
   * document it holds (after it navigates itself, say) gets the port and may call your handlers.
   * Without this option such a window closes the connection with a `PeerClosedError` saying so.
   * @default false
   * @example windowEndpoint(sandboxed.contentWindow!, { targetOrigin: '*', allowOpaqueOrigin: true })
   */
  allowOpaqueOrigin?: boolean;
}

function fail(code: string, message: string): never {
  throw new PortwireError(code, `portwire: ${message}`);
}

/** An origin as `MessageEvent.origin` spells it, from an origin or URL the user wrote. */
function originOf(value: string, option: string, opaque: boolean): string {
  if (value === '*' && option === 'targetOrigin') return value;
  if (value === 'null') {
    if (opaque && option === 'allowedOrigins') return value;
    fail('OPAQUE_ORIGIN', `${option} is the opaque origin "null" (a sandboxed iframe), which postMessage cannot address; use { targetOrigin: '*', allowOpaqueOrigin: true } on the side that talks to it, or write the other side's origin`);
  }
  let origin = 'null';
  try {
    origin = new URL(value).origin;
  } catch {}
  return origin === 'null' ? fail('BAD_ORIGIN', `${option} takes origins like https://widget.example${option === 'targetOrigin' ? " or '*'" : ' or RegExps'}; got ${JSON.stringify(value)}`) : origin;
}

/**
 * A Transport to another window: an iframe's `contentWindow`, `window.parent`, a `window.open()`
 * popup or `window.opener`. A handshake over `window.postMessage` (see windowHandshake.ts) hands
 * over a private MessagePort, which then carries everything: transfers work and no other script
 * in either window can listen in. Messages sent before the port exists wait, in order.
 *
 * One endpoint is one connection to one document: when the window closes, reloads or navigates,
 * the peer closes (its goodbye travels on the port; a new hello from that window or `closed`
 * turning true say so too). To talk to the next document, make a new endpoint (an iframe's `load`).
 * @example
 * const widget = connect<WidgetApi>(windowEndpoint(iframe.contentWindow!, { targetOrigin: 'https://widget.example' }));
 * // inside the iframe
 * expose(widgetApi, windowEndpoint(window.parent, { targetOrigin: 'https://app.example' }));
 */
export function windowEndpoint(target: Window, options: WindowEndpointOptions = {}): Transport {
  if (typeof target?.postMessage !== 'function') {
    fail('BAD_ENDPOINT', 'windowEndpoint needs a window (iframe.contentWindow is null until the iframe is in the document; window.opener is null for a noopener popup)');
  }
  // The document's own origin: `location.origin` would give the URL's, also in a sandboxed iframe.
  const own = self.origin;
  const opaque = options.allowOpaqueOrigin === true;
  const targetOrigin = originOf(options.targetOrigin ?? own, 'targetOrigin', opaque);
  if (opaque && targetOrigin !== '*') fail('OPAQUE_ORIGIN', "allowOpaqueOrigin needs targetOrigin: '*' written out: an opaque origin cannot be addressed otherwise");
  const allowed = (options.allowedOrigins ?? [targetOrigin === '*' ? own : targetOrigin]).map((o) =>
    typeof o === 'string' ? originOf(o, 'allowedOrigins', opaque) : o,
  );
  // `search` ignores a RegExp's lastIndex, so a /g pattern answers the same every time.
  const accepts = (origin: string) => allowed.some((o) => (typeof o === 'string' ? o === origin : origin.search(o) !== -1));
  const where = targetOrigin === '*' ? "the target window (targetOrigin '*')" : `the window at ${targetOrigin}`;
  let port: MessagePort | undefined;
  let queue: Array<[unknown, Transferable[]]> = [];
  let receive: ((data: unknown) => void) | undefined;
  let onClosed: ((reason: string) => void) | undefined;
  let closed: string | undefined;
  let refused: string | undefined;
  let stopped = false;
  const close = (reason: string) => {
    if (closed !== undefined) return;
    closed = reason;
    onClosed?.(reason);
  };

  return {
    // Read when a call times out before the handshake: the likeliest reason goes with it.
    get label() {
      return refused ? `${where} (a handshake from ${refused} was ignored: not in allowedOrigins)` : where;
    },
    send(message, transfer) {
      if (port) port.postMessage(message, transfer);
      else if (!stopped) queue.push([message, transfer]);
    },
    listen(handler) {
      if (receive || stopped) fail('BAD_ENDPOINT', 'a windowEndpoint serves one peer; make a new one for each');
      receive = handler;
      const settings = { targetOrigin, accepts, opaque, channel: options.channel ?? '', where, onIgnored: options.onIgnored };
      const stopHandshake = shakeHands(target, settings, {
        connected(p) {
          port = p;
          p.onmessage = (event) => receive?.(event.data);
          for (const [message, transfer] of queue) p.postMessage(message, transfer);
          queue = [];
        },
        failed: close,
        refused: (origin) => (refused = origin),
      });
      // A closed popup or a removed iframe: `closed` is a boolean any origin may read, so polling
      // it costs nothing and also ends a handshake that can no longer happen (the goodbye on the
      // port is the prompt signal once connected).
      const watch = setInterval(() => target.closed && close(`${where} closed`), 200);
      return () => {
        stopped = true;
        stopHandshake();
        clearInterval(watch);
        receive = undefined;
        queue = [];
        port?.close();
      };
    },
    onClose(handler) {
      onClosed = handler;
      if (closed !== undefined) queueMicrotask(() => onClosed?.(closed!));
      return () => {
        onClosed = undefined;
      };
    },
  };
}

import { MARK } from '../core/protocol.js';

/** Why a window message was not taken: see `WindowEndpointOptions.onIgnored`. */
export type IgnoredReason = 'origin' | 'source' | 'malformed' | 'channel' | 'version' | 'stale';

/** What the handshake needs to know, already checked by `windowEndpoint`. */
export interface HandshakeSettings {
  targetOrigin: string;
  /** Whether messages from this (concrete) origin are accepted. */
  accepts(origin: string): boolean;
  /** Opaque ("null") origins accepted: the explicit opt-in. */
  opaque: boolean;
  channel: string;
  where: string;
  onIgnored: ((reason: IgnoredReason, data: unknown) => void) | undefined;
}

export interface HandshakeEvents {
  connected(port: MessagePort): void;
  /** The handshake cannot succeed (or the connected window changed): the transport closes. */
  failed(reason: string): void;
  /** A handshake came from the target window with a (concrete) origin that is not accepted. */
  refused(origin: string): void;
}

/**
 * One message of the handshake. `portwire`, `version`, `channel` and a hello's `kind` never change,
 * so every version tells another version's greeting from foreign data; any other change to the
 * handshake must bump the protocol MARK.
 */
interface Greeting {
  portwire: 'window';
  version: string;
  channel: string;
  kind: 'hello' | 'port';
  /** The sender's random id, fresh per endpoint. */
  from: number;
  /** A port's addressee: the id of the hello it answers. */
  to?: number;
}

const isObject = (data: unknown): data is Record<string, unknown> => typeof data === 'object' && data !== null;

/**
 * Runs the handshake with `target` until a private MessagePort connects the two sides; returns
 * the function that stops listening.
 *
 * Both sides are alike: each has a random id and greets once when it starts. A greeting is lost
 * when the other side is not listening yet, but whoever starts second is heard by the first, so
 * at least one side always receives the other's hello. On a hello:
 * - the side with the LOWER id creates the MessageChannel and posts one port, addressed to that
 *   hello's id and sent only to the origin the hello came from; it is connected from then on;
 * - the side with the HIGHER id never creates a channel: it answers with its own hello, so the
 *   lower side learns of it even if that side missed its first greeting.
 * A port is taken only once, only when addressed to this side's id, and only from a lower id.
 * Since exactly one side of any pair is lower, exactly one channel is ever made for the pair, and
 * no order of starting (either first, or both at once with hellos crossing) leaves them on two
 * channels or waiting on each other. No timer repeats anything: a hello is answered with one
 * hello or one port, and a hello is never answered with a hello by the side that made the port.
 */
export function shakeHands(target: Window, s: HandshakeSettings, on: HandshakeEvents): () => void {
  const self = Math.random();
  let peer: number | undefined;
  const greet = (origin: string) => target.postMessage(message('hello'), origin);
  const message = (kind: Greeting['kind'], to?: number): Greeting => ({
    portwire: 'window',
    version: MARK,
    channel: s.channel,
    kind,
    from: self,
    ...(to !== undefined && { to }),
  });
  const stop = () => removeEventListener('message', onMessage);
  const ignore = (reason: IgnoredReason, data: unknown) => s.onIgnored?.(reason, data);

  function onMessage(event: MessageEvent): void {
    const { data, origin } = event;
    const opaque = origin === 'null';
    if (opaque ? !s.opaque : !s.accepts(origin)) {
      ignore('origin', data);
      if (event.source !== target || !isObject(data) || data.portwire !== 'window') return;
      if (!opaque) return on.refused(origin);
      stop();
      return on.failed(`${s.where} has an opaque origin ("null": a sandboxed iframe without allow-same-origin); portwire talks to it only with { targetOrigin: '*', allowOpaqueOrigin: true }, and what that risks is in its JSDoc`);
    }
    if (event.source !== target) return ignore('source', data);
    if (!isObject(data) || data.portwire !== 'window' || typeof data.version !== 'string' || typeof data.channel !== 'string') {
      return ignore('malformed', data);
    }
    if (data.channel !== s.channel) return ignore('channel', data);
    // Replying is what lets a window of another version (which missed our hello) see the mismatch too.
    const reply = opaque ? '*' : origin;
    if (data.version !== MARK) {
      ignore('version', data);
      // `kind: 'hello'` stays too, so only another version's greeting ends the connection.
      if (data.kind !== 'hello') return;
      greet(reply);
      stop();
      return on.failed(`${s.where} speaks portwire protocol ${JSON.stringify(data.version.slice(0, 40))}, this side ${JSON.stringify(MARK)}: load the same portwire version on both sides`);
    }
    const from = data.from;
    if (typeof from !== 'number' || !(from >= 0 && from < 1) || (data.kind !== 'hello' && data.kind !== 'port')) return ignore('malformed', data);
    if (data.kind === 'hello') {
      // A new id from the window we are connected to: its document was replaced (reload, navigation).
      if (peer !== undefined && from !== peer) return on.failed(`${s.where} loaded a new document`);
      if (peer !== undefined || from === self) return ignore('stale', data);
      if (self > from) return greet(reply);
      peer = from;
      const { port1, port2 } = new MessageChannel();
      target.postMessage(message('port', from), reply, [port2]);
      return on.connected(port1);
    }
    const port = event.ports[0];
    if (peer !== undefined || data.to !== self || !(from < self) || !port) return ignore('stale', data);
    peer = from;
    on.connected(port);
  }

  addEventListener('message', onMessage);
  greet(s.targetOrigin);
  return stop;
}

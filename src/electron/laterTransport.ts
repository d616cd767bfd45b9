import { PortwireError } from '../errors/PortwireError.js';
import type { Transport } from '../transports/Transport.js';

/** A transport whose port comes later: see `laterTransport`. */
export interface Later {
  /** What the peer is given. */
  readonly transport: Transport;
  /** The port arrived: `port` (its transport) carries everything from now on. */
  attach(port: Transport): void;
  /** Ends it: the peer closes with `reason`. */
  close(reason: string): void;
  /** True once a port is attached. */
  readonly attached: boolean;
}

/**
 * A Transport for a port that is handed over after a request (main hands a renderer its port
 * once the renderer asked and passed the sender check). What is sent meanwhile waits, in order.
 * `start` runs when the peer starts listening and returns what to run when it stops; `label`
 * names the other side.
 */
export function laterTransport(label: () => string, start?: () => () => void): Later {
  let port: Transport | undefined;
  let queue: Array<[unknown, Transferable[]]> = [];
  let receive: ((data: unknown) => void) | undefined;
  let onClosed: ((reason: string) => void) | undefined;
  let closed: string | undefined;
  let unlisten: (() => void) | undefined;
  let unwatch: (() => void) | undefined;

  const close = (reason: string) => {
    if (closed !== undefined) return;
    closed = reason;
    queue = [];
    onClosed?.(reason);
  };
  const transport: Transport = {
    get label() {
      return label();
    },
    send(message, transfer) {
      if (port) port.send(message, transfer);
      else if (closed === undefined) queue.push([message, transfer]);
    },
    listen(handler) {
      if (receive) throw new PortwireError('BAD_ENDPOINT', 'portwire: an Electron endpoint serves one peer; make a new one for each');
      receive = handler;
      const stop = start?.();
      return () => {
        receive = undefined;
        queue = [];
        unlisten?.();
        unwatch?.();
        stop?.();
      };
    },
    onClose(handler) {
      onClosed = handler;
      if (closed !== undefined) queueMicrotask(() => onClosed?.(closed!));
      return () => {
        onClosed = undefined;
      };
    },
    checkTransfer(transfer) {
      port?.checkTransfer?.(transfer);
    },
  };
  return {
    transport,
    get attached() {
      return port !== undefined;
    },
    attach(next) {
      if (port || closed !== undefined || !receive) return;
      port = next;
      unlisten = next.listen((data) => receive?.(data));
      unwatch = next.onClose?.(close);
      for (const [message, transfer] of queue) next.send(message, transfer);
      queue = [];
    },
    close,
  };
}

/**
 * What the core needs from an endpoint. Transports move opaque values; they never look inside.
 * @example
 * const transport: Transport = {
 *   send: (message, transfer) => port.postMessage(message, transfer),
 *   listen: (handler) => { const f = (e: MessageEvent) => handler(e.data); port.addEventListener('message', f); port.start(); return () => port.removeEventListener('message', f); },
 * };
 */
export interface Transport {
  /**
   * Posts one message with its transfer list. May throw a DataCloneError. Given `undeliverable`
   * (never with a transfer list), it may instead post later, joined with other messages, and
   * then calls `undeliverable(message)` if that message cannot be cloned (in a microtask of its
   * own, possibly after the sender has closed).
   */
  send(message: unknown, transfer: Transferable[], undeliverable?: (message: unknown) => void): void;
  /** Starts delivering incoming message data to `handler`; returns the function that stops it. */
  listen(handler: (data: unknown) => void): () => void;
  /** Calls `handler` once if the endpoint itself goes away; returns the function that stops watching. */
  onClose?(handler: (reason: string) => void): () => void;
  /** Ends the endpoint itself, for endpoints that can be ended from here (a Worker's `terminate()`). */
  terminate?(): void;
  /**
   * Throws (a `PortwireError` that says why) when this endpoint cannot move `transfer`, so the
   * caller hears it at once instead of a copy or a failed send. Absent: anything transfers.
   */
  checkTransfer?(transfer: Transferable[]): void;
  /** Who is on the other side, for error messages: e.g. `the window at https://widget.example`. */
  label?: string;
}

/** The structural shape shared by Worker, MessagePort, a worker's global scope and SharedWorker ports. */
export interface MessageEndpoint {
  postMessage(message: any, transfer?: Transferable[]): void;
  addEventListener(type: string, listener: (event: any) => void): void;
  removeEventListener(type: string, listener: (event: any) => void): void;
  start?: () => void;
}

/** Anything `createPeer` accepts: a structural endpoint as it is, or a ready-made transport. */
export type Endpoint = MessageEndpoint | Transport;

export const isTransport = (value: Endpoint): value is Transport =>
  typeof (value as Transport).send === 'function' && typeof (value as Transport).listen === 'function';

// The few messages main, the preload and the page exchange to hand a port over. Everything after
// the hand-over travels on the port itself, as portwire's own wire format.

/** Where the preload's bridge appears in the page: `window.portwire`. */
export const BRIDGE_KEY = 'portwire';

/** Page (through the preload) → main: "give this document a port for `channel`". */
export const CONNECT = 'portwire:connect';
/** Main → preload: the port for `channel`, in `event.ports[0]`. */
export const PORT = 'portwire:port';
/** Main → preload: main listens for `channel` now; a document still waiting asks again. */
export const READY = 'portwire:ready';

/** What the page asks for, and what main announces: one channel name. */
export interface Request {
  channel: string;
}

/**
 * The port's label, on IPC and on the window message that carries it into the page. `transfers`
 * says what the other end can receive: `'ports'` when it is Electron's main process (only ports
 * cross it), `'all'` when it is another renderer.
 */
export interface Handover extends Request {
  portwire: 'electron';
  transfers: 'ports' | 'all';
}

/** Channel names are short strings; anything else in a request is malformed. */
export const isChannel = (value: unknown): value is string => typeof value === 'string' && value.length <= 256;

export const isRequest = (data: unknown): data is Request =>
  typeof data === 'object' && data !== null && isChannel((data as Request).channel);

export const isHandover = (data: unknown): data is Handover =>
  isRequest(data) &&
  (data as Handover).portwire === 'electron' &&
  ((data as Handover).transfers === 'ports' || (data as Handover).transfers === 'all');

export const handover = (channel: string, transfers: Handover['transfers']): Handover => ({ portwire: 'electron', channel, transfers });

// portwire/electron/preload: built to ONE self-contained CommonJS file (dist/electron/preload.cjs)
// that requires nothing but 'electron', as a sandboxed preload must. Loaded by path
// (webPreferences.preload), it exposes the bridge at once; a preload you bundle yourself imports
// and calls exposePortwire().
import { exposePortwire } from './bridge.js';

export { exposePortwire, BRIDGE_KEY, type ExposeOptions, type PortwireBridge } from './bridge.js';
export { preloadEndpoint, type PreloadEndpointOptions } from './preloadEndpoint.js';
// The core, for a peer that runs in the preload itself (preloadEndpoint).
export { createPeer, expose, connect } from '../core/createPeer.js';
export type { Peer } from '../core/Peer.js';
export { context, type CallContext } from '../core/context.js';
export { transfer } from '../core/transfer.js';
export type { PeerOptions, CallOptions, Middleware } from '../core/options.js';
export type { Remote, Cloned, Unsendable } from '../core/types.js';
export type { RemoteIterator } from '../streams/RemoteIterator.js';
export type { Transport, Endpoint } from '../transports/Transport.js';
export * from '../errors/index.js';

// Only where Electron's preload `require` is there: importing this module in a test or a
// bundler's analysis exposes nothing.
if (typeof require === 'function' && typeof process === 'object' && (process as { type?: string }).type === 'renderer') exposePortwire();

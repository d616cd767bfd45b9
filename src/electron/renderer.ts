// portwire/electron/renderer: the page in an Electron window (its preload exposes window.portwire).
export { mainEndpoint, type MainEndpointOptions, type PageIgnoredReason, type PageWindow } from './mainEndpoint.js';
export type { PortwireBridge } from './bridge.js';
export * from '../index.js';

// portwire/electron/main: Electron's main process. ESM like every entry; a CommonJS main process
// loads it with `await import('portwire/electron/main')` (or `require` where its Node can require ESM).
export { rendererEndpoint, type RendererEndpointOptions } from './rendererEndpoint.js';
export { brokerPorts, type BrokerOptions } from './brokerPorts.js';
export { portEndpoint } from './portEndpoint.js';
export { utilityEndpoint } from './utilityEndpoint.js';
export type { SenderOptions, ElectronIgnoredReason } from './senderRules.js';
export type { ElectronMain, WebContentsLike, FrameLike, MessagePortMainLike, UtilityProcessLike } from './types.js';
export * from '../index.js';

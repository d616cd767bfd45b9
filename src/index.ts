export { createPeer, expose, connect } from './core/createPeer.js';
export type { Peer } from './core/Peer.js';
export { context, type CallContext } from './core/context.js';
export { transfer } from './core/transfer.js';
export type { PeerOptions, CallOptions, Middleware } from './core/options.js';
export type {
  Remote,
  RemoteApi,
  RemoteNamespace,
  RemoteMethod,
  RemoteResult,
  RemoteStream,
  RemoteBuiltins,
  MethodName,
  Cloned,
  Unsendable,
} from './core/types.js';
export type { RemoteIterator } from './streams/RemoteIterator.js';
export type { Transport, MessageEndpoint, Endpoint } from './transports/Transport.js';
export { windowEndpoint, type WindowEndpointOptions, type IgnoredReason } from './transports/windowEndpoint.js';
export { broadcast } from './groups/broadcast.js';
export { exposeShared } from './groups/exposeShared.js';
export { pool, type Pool, type PoolOptions, type PoolStats, type WorkerStats, type PoolEvents, type PoolLeaveReason } from './pool/pool.js';
export type { Group, BroadcastGroup, SharedGroup, GroupOptions, BroadcastOptions, SharedOptions, MemberEvents, BroadcastEvents, LeaveReason, GroupIgnoredReason, Settled, GroupArgs, GroupResult } from './groups/types.js';
export {
  PortwireError,
  isPortwireError,
  TimeoutError,
  PeerClosedError,
  MethodNotFoundError,
  RemoteError,
  DataCloneError,
  AbortError,
  type CloneSite,
} from './errors/index.js';

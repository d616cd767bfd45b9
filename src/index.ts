export { createPeer, expose, connect } from './core/createPeer';
export type { Peer } from './core/Peer';
export { context, type CallContext } from './core/context';
export { transfer } from './core/transfer';
export type { PeerOptions, CallOptions, Middleware } from './core/options';
export type { Remote, RemoteApi, RemoteMethod, RemoteResult, RemoteStream, RemoteBuiltins, MethodName } from './core/types';
export type { RemoteIterator } from './streams/RemoteIterator';
export type { Transport, MessageEndpoint, Endpoint } from './transports/Transport';
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
} from './errors';

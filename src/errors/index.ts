export { PortwireError, isPortwireError } from './PortwireError';
export { TimeoutError } from './TimeoutError';
export { PeerClosedError } from './PeerClosedError';
export { MethodNotFoundError } from './MethodNotFoundError';
export { RemoteError } from './RemoteError';
export { DataCloneError, type CloneSite } from './DataCloneError';
export { AbortError } from './AbortError';

export { PortwireError, isPortwireError } from './PortwireError.js';
export { TimeoutError } from './TimeoutError.js';
export { PeerClosedError } from './PeerClosedError.js';
export { MethodNotFoundError } from './MethodNotFoundError.js';
export { RemoteError } from './RemoteError.js';
export { DataCloneError, type CloneSite } from './DataCloneError.js';
export { AbortError } from './AbortError.js';

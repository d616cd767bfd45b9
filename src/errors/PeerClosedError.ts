import { PortwireError } from './PortwireError.js';

/** The peer was closed (by either side, or because its endpoint went away) before the answer came. */
export class PeerClosedError extends PortwireError {
  override readonly name = 'PeerClosedError';
  constructor(reason = 'the peer was closed') {
    super('PEER_CLOSED', `portwire: ${reason}`);
  }
}

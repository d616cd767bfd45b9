import { PortwireError } from './PortwireError.js';

/** A call got no answer within its timeout. */
export class TimeoutError extends PortwireError {
  override readonly name = 'TimeoutError';
  readonly method: string;
  readonly timeout: number;
  /** `detail` says more when something is known, e.g. that no handshake ever arrived. */
  constructor(method: string, timeout: number, detail?: string) {
    super('TIMEOUT', `portwire: call to "${method}" timed out after ${timeout} ms${detail ? `: ${detail}` : ''}`);
    this.method = method;
    this.timeout = timeout;
  }
}

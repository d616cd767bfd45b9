import { PortwireError } from './PortwireError.js';

/** A call got no answer within its timeout. */
export class TimeoutError extends PortwireError {
  override readonly name = 'TimeoutError';
  readonly method: string;
  readonly timeout: number;
  constructor(method: string, timeout: number) {
    super('TIMEOUT', `portwire: call to "${method}" timed out after ${timeout} ms`);
    this.method = method;
    this.timeout = timeout;
  }
}

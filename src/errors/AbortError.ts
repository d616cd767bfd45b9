import { PortwireError } from './PortwireError.js';

/** The caller aborted the call or stream through its AbortSignal. `cause` is the signal's reason. */
export class AbortError extends PortwireError {
  override readonly name = 'AbortError';
  readonly method: string;
  constructor(method: string, reason?: unknown) {
    super('ABORTED', `portwire: call to "${method}" was aborted`, { cause: reason });
    this.method = method;
  }
}

import { PortwireError } from './PortwireError.js';

/** The other side exposes no callable method by that name (JSON-RPC −32601). */
export class MethodNotFoundError extends PortwireError {
  override readonly name = 'MethodNotFoundError';
  readonly method: string;
  constructor(method: string) {
    super('METHOD_NOT_FOUND', `portwire: method "${method}" is not exposed`, { rpcCode: -32601 });
    this.method = method;
  }
}

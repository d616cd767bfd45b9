import { PortwireError } from './PortwireError.js';

/** Which part of a call could not be structured-cloned. */
export type CloneSite = 'argument' | 'result' | 'item' | 'error' | 'notification';

/** A value could not be structured-cloned (a function, a symbol, a DOM node…) (JSON-RPC −32602/−32603). */
export class DataCloneError extends PortwireError {
  override readonly name = 'DataCloneError';
  readonly method: string;
  readonly where: CloneSite;
  constructor(method: string, where: CloneSite, cause?: unknown) {
    const detail = cause instanceof Error ? `: ${cause.message}` : '';
    super('DATA_CLONE', `portwire: the ${where} of "${method}" could not be cloned${detail}`, {
      cause,
      rpcCode: where === 'argument' || where === 'notification' ? -32602 : -32603,
    });
    this.method = method;
    this.where = where;
  }
}

const brand = Symbol.for('portwire.error');

/** Every error portwire raises. `code` is stable; `rpcCode` is the JSON-RPC 2.0 number where one applies. */
export class PortwireError extends Error {
  /** Stable, machine-readable code, e.g. `'TIMEOUT'`. */
  readonly code: string;
  /** JSON-RPC 2.0 error number for protocol-level failures, when one applies. */
  readonly rpcCode: number | undefined;

  constructor(code: string, message: string, options?: { cause?: unknown; rpcCode?: number }) {
    super(message, options && 'cause' in options ? { cause: options.cause } : undefined);
    // A literal, not `new.target.name`: minifiers rename classes, and `e.name` must survive a production build.
    this.name = 'PortwireError';
    this.code = code;
    this.rpcCode = options?.rpcCode;
    Object.defineProperty(this, brand, { value: true });
  }
}

/** True for any portwire error, including ones from another realm or bundle copy (no `instanceof`). */
export const isPortwireError = (value: unknown): value is PortwireError =>
  typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;

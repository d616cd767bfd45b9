import { PortwireError } from './PortwireError.js';

/**
 * What the other side's handler threw, rebuilt on this side. `code` is the thrown error's own
 * string `code` when it had one (`'E_QUOTA'`, `'ENOENT'`), so `e.code === 'E_QUOTA'` reads the same
 * on both sides; otherwise `'REMOTE_ERROR'`.
 */
export class RemoteError extends PortwireError {
  override readonly name = 'RemoteError';
  /** The thrown error's `name` on the other side, e.g. `'TypeError'`. */
  readonly remoteName: string;
  /** The thrown error's stack on the other side, when it had one. */
  readonly remoteStack: string | undefined;
  /** The thrown error's own `code` property as it was (any cloneable value, a number too), when it had one. */
  readonly remoteCode: unknown;
  /** The thrown error's other own enumerable data properties. */
  readonly data: Readonly<Record<string, unknown>>;
  /** For a thrown non-Error (`throw 42`, `throw { … }`): the value itself. */
  readonly value: unknown;

  constructor(init: {
    name: string;
    message: string;
    stack?: string | undefined;
    code?: unknown;
    data?: Record<string, unknown> | undefined;
    value?: unknown;
    cause?: unknown;
    hasCause?: boolean;
  }) {
    super(typeof init.code === 'string' && init.code ? init.code : 'REMOTE_ERROR', init.message, init.hasCause ? { cause: init.cause, rpcCode: -32000 } : { rpcCode: -32000 });
    this.remoteName = init.name;
    this.remoteStack = init.stack;
    this.remoteCode = init.code;
    this.data = init.data ?? {};
    this.value = init.value;
    if (init.stack) this.stack = `${this.stack ?? ''}\n    --- remote ${init.stack}`;
  }
}

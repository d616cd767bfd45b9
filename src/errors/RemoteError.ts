import { PortwireError } from './PortwireError.js';

/** What the other side's handler threw, rebuilt on this side. */
export class RemoteError extends PortwireError {
  /** The thrown error's `name` on the other side, e.g. `'TypeError'`. */
  readonly remoteName: string;
  /** The thrown error's stack on the other side, when it had one. */
  readonly remoteStack: string | undefined;
  /** The thrown error's own `code` property (any cloneable value), when it had one. */
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
    super('REMOTE_ERROR', init.message, init.hasCause ? { cause: init.cause, rpcCode: -32000 } : { rpcCode: -32000 });
    this.remoteName = init.name;
    this.remoteStack = init.stack;
    this.remoteCode = init.code;
    this.data = init.data ?? {};
    this.value = init.value;
    if (init.stack) this.stack = `${this.stack ?? ''}\n    --- remote ${init.stack}`;
  }
}

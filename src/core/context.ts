import { PortwireError } from '../errors/PortwireError.js';
import type { Inbox } from '../streams/Inbox.js';

/**
 * What a handler knows about the call it is answering. Read it with `context()` in the handler's
 * synchronous part (before its first `await`), and keep the object as long as you need it.
 */
export class CallContext<R = any> {
  /** The method name as the caller sent it (dotted for namespaces). */
  readonly method: string;
  /** The arguments; middleware may replace entries before the handler runs. */
  args: unknown[];
  /** A proxy to call the caller back. */
  readonly remote: R;
  /**
   * In a group (`broadcast`, `exposeShared`): the calling member's id. It identifies, it does not
   * authenticate: any same-origin script can join a group under any id. Undefined elsewhere.
   */
  caller: string | undefined;
  /** Argument streams of this call; they end with it. @internal */
  inboxes: Inbox[] | undefined;
  #controller: AbortController | undefined;
  #reason: unknown;

  constructor(method: string, args: unknown[], remote: R) {
    this.method = method;
    this.args = args;
    this.remote = remote;
  }

  /** Fires when the caller aborts or times out, a stream's reader stops, or the peer closes (never for a notification). */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#reason !== undefined) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** @internal */
  abort(reason: unknown): void {
    if (this.#reason !== undefined) return;
    this.#reason = reason;
    this.#controller?.abort(reason);
    if (this.inboxes) for (const inbox of this.inboxes) inbox.abort(reason);
  }
}

let current: CallContext | undefined;

/** @internal Makes `ctx` the current context and returns the one it replaces. */
export function swapContext(ctx: CallContext | undefined): CallContext | undefined {
  const previous = current;
  current = ctx;
  return previous;
}

/**
 * The context of the call being handled. Call it before the handler's first `await`.
 * @example
 * const api = {
 *   async slow(n: number) {
 *     const { signal, remote } = context<Remote<PageApi>>();
 *     signal.addEventListener('abort', () => console.log('caller gave up'));
 *     await remote.progress(50);
 *   },
 * };
 */
export function context<R = any>(): CallContext<R> {
  if (!current) throw new PortwireError('NO_CONTEXT', 'portwire: context() is only available in the synchronous part of a handler');
  return current as CallContext<R>;
}

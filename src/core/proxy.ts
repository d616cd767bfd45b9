import type { CallOptions } from './options.js';
import type { Remote } from './types.js';

/** What the proxy needs from its peer. */
export interface Caller {
  call(method: string, args: unknown[], options?: CallOptions): Promise<unknown>;
  notify(method: string, args: unknown[]): void;
  close(): void;
}

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/** The iterator of a call's promise: waits for the answer, then iterates the stream it carries. */
function iterateAnswer(this: Promise<unknown>): AsyncIterableIterator<unknown> {
  const answer = this;
  let inner: AsyncIterator<unknown> | undefined;
  const open = (): Promise<AsyncIterator<unknown>> =>
    inner
      ? Promise.resolve(inner)
      : answer.then((value) => {
          if (typeof value !== 'object' || value === null || !(Symbol.asyncIterator in value)) {
            throw new TypeError('portwire: the remote method did not answer with a stream');
          }
          return (inner = (value as AsyncIterable<unknown>)[Symbol.asyncIterator]());
        });
  return {
    next: () => (inner ? inner.next() : open().then((it) => it.next())),
    return: () => open().then((it) => it.return?.() ?? DONE, () => DONE),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

const decorate = (promise: Promise<unknown>): Promise<unknown> => {
  (promise as unknown as Record<symbol, unknown>)[Symbol.asyncIterator] = iterateAnswer;
  return promise;
};

/** Builds the remote proxy: `remote.a.b(…)` calls "a.b"; `$`-names are built-ins. */
export function createRemote<T>(caller: Caller): Remote<T> {
  const cache = new Map<string, unknown>();
  const builtins: Record<string, unknown> = {
    $call: (method: string, args: unknown[], options?: CallOptions) => decorate(caller.call(method, args, options)),
    $notify: (method: string, ...args: unknown[]) => caller.notify(method, args),
    $close: () => caller.close(),
  };
  const member = (path: string): unknown => {
    let fn = cache.get(path);
    if (!fn) {
      fn = new Proxy(function () {}, {
        // `then` is never a method name, so awaiting a namespace does not call the other side.
        get: (_, key) => (typeof key === 'string' && key !== 'then' ? member(`${path}.${key}`) : undefined),
        apply: (_, __, args: unknown[]) => decorate(caller.call(path, args)),
      });
      cache.set(path, fn);
    }
    return fn;
  };
  return new Proxy({} as Remote<T>, {
    get: (_, key) => {
      if (typeof key !== 'string' || key === 'then') return undefined;
      return key[0] === '$' && key in builtins ? builtins[key] : member(key);
    },
  });
}

import { keep } from './keep.js';
import type { CallOptions } from './options.js';
import type { Remote } from './types.js';

/** What the proxy needs from its peer. */
export interface Caller {
  call(method: string, args: unknown[], options?: CallOptions): Promise<unknown>;
  notify(method: string, args: unknown[]): void;
  close(): void;
  terminate(): void;
}

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/**
 * The iterator of a call's promise: waits for the answer, then iterates the stream it carries.
 * A class, not an object of closures: optimized code that calls `next` is then shared by every
 * stream, instead of holding one stream's closure and being thrown away with it.
 */
class AnswerIterator implements AsyncIterableIterator<unknown> {
  #answer: Promise<unknown>;
  #inner: AsyncIterator<unknown> | undefined;

  constructor(answer: Promise<unknown>) {
    this.#answer = answer;
  }

  next(): Promise<IteratorResult<unknown>> {
    const inner = this.#inner;
    return inner ? inner.next() : this.#open().then((it) => it.next());
  }

  return(): Promise<IteratorResult<unknown>> {
    return this.#open().then((it) => it.return?.() ?? DONE, () => DONE);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #open(): Promise<AsyncIterator<unknown>> {
    return this.#answer.then((value) => {
      if (typeof value !== 'object' || value === null || !(Symbol.asyncIterator in value)) {
        throw new TypeError('portwire: the remote method did not answer with a stream');
      }
      return (this.#inner = (value as AsyncIterable<unknown>)[Symbol.asyncIterator]());
    });
  }
}

function iterateAnswer(this: Promise<unknown>): AsyncIterableIterator<unknown> {
  return new AnswerIterator(this);
}

const decorate = (promise: Promise<unknown>): Promise<unknown> => {
  (promise as unknown as Record<symbol, unknown>)[Symbol.asyncIterator] = iterateAnswer;
  return promise;
};
// A call's promise and its iterator, for their shapes (keep.ts).
keep(iterateAnswer.call(decorate(Promise.resolve())));

/**
 * Names that are never remote methods on the proxy, so that ordinary code touching it (`await`,
 * `JSON.stringify`, `String()`, inspectors, framework probes) sends nothing: symbols, `then`,
 * `toJSON` and every `Object.prototype` name. On a method or namespace, which is a function,
 * `call`, `apply` and `bind` are also the function's own. `$call` still reaches any name.
 */
const isLocal = (key: string | symbol, fn: boolean): boolean =>
  typeof key === 'symbol' || key === 'then' || key === 'toJSON' || key in Object.prototype || (fn && (key === 'call' || key === 'apply' || key === 'bind'));

/** Builds the remote proxy: `remote.a.b(…)` calls "a.b"; `$`-names are built-ins. */
export function createRemote<T>(caller: Caller): Remote<T> {
  const cache = new Map<string, unknown>();
  const builtins: Record<string, unknown> = {
    $call: (method: string, args: unknown[], options?: CallOptions) => decorate(caller.call(method, args, options)),
    $notify: (method: string, ...args: unknown[]) => caller.notify(method, args),
    $close: () => caller.close(),
    $terminate: () => caller.terminate(),
  };
  const member = (path: string): unknown => {
    let fn = cache.get(path);
    if (!fn) {
      fn = new Proxy(function () {}, {
        // What is local reads as it does on the plain target: no `then` or `toJSON` there.
        get: (target, key) => (isLocal(key, true) ? Reflect.get(target, key) : member(`${path}.${key as string}`)),
        apply: (_, __, args: unknown[]) => decorate(caller.call(path, args)),
      });
      cache.set(path, fn);
    }
    return fn;
  };
  return new Proxy({} as Remote<T>, {
    get: (target, key) => {
      if (isLocal(key, false)) return Reflect.get(target, key);
      return (key as string)[0] === '$' && (key as string) in builtins ? builtins[key as string] : member(key as string);
    },
  });
}

import type { RemoteIterator } from '../streams/RemoteIterator.js';
import type { CallOptions } from './options.js';

type Fn = (...args: any[]) => any;
type Depth = [never, 0, 1, 2, 3];

/**
 * What a remote call returns. A method whose handler returns an async iterable answers with a
 * stream: iterate the call directly (`for await (const x of remote.items())`), or await it for a
 * `RemoteIterator`. Any other method answers with a promise of its (awaited) result.
 */
export type RemoteResult<R> =
  Awaited<R> extends AsyncIterable<infer Item> ? RemoteStream<Item> : Promise<Awaited<R>>;

/** A call that answers with a stream: awaitable for its iterator, and iterable itself. */
export type RemoteStream<T> = Promise<RemoteIterator<T>> & AsyncIterable<T>;

/** A remote method: same parameters, answer through `RemoteResult`. */
export type RemoteMethod<F extends Fn> = (...args: Parameters<F>) => RemoteResult<ReturnType<F>>;

/** The callable shape of handlers `T` seen from the other side (namespaces nest). */
export type RemoteApi<T, D extends number = 4> = [D] extends [never]
  ? unknown
  : {
      readonly [K in keyof T as K extends string ? (T[K] extends Fn | object ? K : never) : never]: T[K] extends Fn
        ? RemoteMethod<T[K]>
        : RemoteApi<T[K], Depth[D]>;
    };

/** Every method path of `T` with its function: `['add', fn] | ['math.mul', fn] | …`. */
type Paths<T, Prefix extends string = '', D extends number = 4> = [D] extends [never]
  ? never
  : {
      [K in keyof T & string]: T[K] extends Fn
        ? [`${Prefix}${K}`, T[K]]
        : T[K] extends object
          ? Paths<T[K], `${Prefix}${K}.`, Depth[D]>
          : never;
    }[keyof T & string];

type IsAny<T> = 0 extends 1 & T ? true : false;

/** A method name of `T`, dotted for namespaces (any string when `T` is `any`). */
export type MethodName<T> = IsAny<T> extends true ? string : Paths<T>[0];
type MethodAt<T, K> = IsAny<T> extends true ? (...args: any[]) => any : Extract<Paths<T>, [K, any]>[1];


/** The built-ins every remote proxy has; the `$` keeps them apart from your method names. */
export interface RemoteBuiltins<T> {
  /**
   * Calls a method with per-call options.
   * @example await remote.$call('resize', [image], { timeout: 500, signal, transfer: [image.data.buffer] })
   */
  $call<K extends MethodName<T>>(
    method: K,
    args: Parameters<MethodAt<T, K>>,
    options?: CallOptions,
  ): RemoteResult<ReturnType<MethodAt<T, K>>>;
  /**
   * Fire-and-forget: no id, no answer, nothing to await.
   * @example remote.$notify('log', 'saved')
   */
  $notify<K extends MethodName<T>>(method: K, ...args: Parameters<MethodAt<T, K>>): void;
  /** Closes this side; pending calls on both sides reject with `PeerClosedError`. */
  $close(): void;
  /**
   * Terminates the Worker on the other side (`worker.terminate()`) and closes this side: pending
   * calls reject with `PeerClosedError` at once. Throws `NOT_TERMINABLE` on an endpoint that is not a Worker.
   * @example remote.$terminate()
   */
  $terminate(): void;
}

/** The typed proxy of handlers `T` on the other side. */
export type Remote<T> = (IsAny<T> extends true ? { readonly [key: string]: any } : RemoteApi<T>) & RemoteBuiltins<T>;

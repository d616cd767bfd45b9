import type { RemoteIterator } from '../streams/RemoteIterator.js';
import type { CallOptions } from './options.js';

type Fn = (...args: any[]) => any;
type Depth = [never, 0, 1, 2, 3];
type IsAny<T> = 0 extends 1 & T ? true : false;

// ── What arrives: structured clone in types ──────────────────────────────────────────────────

/** The instance type of each global constructor named in `Name` that the environment's libs declare. */
type Global<Name extends string> = Name extends unknown
  ? typeof globalThis extends { readonly [K in Name]: { readonly prototype: infer I } }
    ? I
    : never
  : never;

/** What structured clone copies or transfers as itself (platform types only where the libs declare them). */
type Intact =
  | Date
  | RegExp
  | ArrayBuffer
  | DataView
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  // A MessagePort, the DOM's or Node's (worker_threads has its own class).
  | { postMessage(message: any, ...rest: any[]): void; start(): void; close(): void }
  // Looked up rather than named, so that a consumer's older or smaller libs cannot turn a missing
  // name into `any` (which everything would match).
  | Global<
      | 'SharedArrayBuffer'
      | 'BigInt64Array'
      | 'BigUint64Array'
      | 'Float16Array'
      | 'Blob'
      | 'File'
      | 'FileList'
      | 'ImageData'
      | 'ImageBitmap'
      | 'MessagePort'
      | 'ReadableStream'
      | 'WritableStream'
      | 'TransformStream'
      | 'OffscreenCanvas'
      | 'VideoFrame'
      | 'AudioData'
      | 'RTCDataChannel'
      | 'CryptoKey'
      | 'DOMException'
      | 'DOMMatrixReadOnly'
      | 'DOMPointReadOnly'
      | 'DOMRectReadOnly'
      | 'DOMQuad'
      | 'FileSystemHandle'
    >;

/** Objects structured clone refuses: a result holding one fails with a `DataCloneError`. */
type Refused = Promise<unknown> | WeakMap<any, any> | WeakSet<any> | Global<'WeakRef'>;

/** True for an `Error`: it declares `stack`, which plain `{ name, message }` data does not. */
type IsError<T> = T extends Error ? ('stack' extends keyof T ? true : false) : false;

/** True when a property holds nothing but functions and symbols (null and undefined aside): it does not arrive. */
type IsLost<V> = IsAny<V> extends true
  ? false
  : [NonNullable<V>] extends [never]
    ? false
    : [NonNullable<V>] extends [Function | symbol]
      ? true
      : false;

/** `T` itself when its clone has the same shape (hovers then keep the name you gave it), else the clone `C`. */
type Readable<T, C> = [T] extends [C] ? ([C] extends [T] ? ([keyof T] extends [keyof C] ? T : C) : C) : C;

/** Levels of nesting `Cloned` maps; data nested deeper keeps its declared type. */
type Levels = [never, 0, 1, 2, 3, 4, 5, 6, 7];

/** `Cloned` with `D` levels left to map. */
type Clone<T, D extends number> =
  IsAny<T> extends true ? any : unknown extends T ? T : [D] extends [never] ? T : CloneMember<T, D>;

/** One member of a union (the checks distribute), `D` levels left. */
type CloneMember<T, D extends number> = T extends Function | symbol
  ? never
  : T extends string | number | bigint | boolean | null | undefined | void
    ? T
    : T extends Intact
      ? T extends { readUInt8: Fn } // a Node.js Buffer arrives as the Uint8Array it is
        ? Uint8Array
        : T
      : IsError<T> extends true
        ? Error
        : T extends Map<infer K, infer V>
          ? Map<Clone<K, Levels[D]>, Clone<V, Levels[D]>>
          : T extends ReadonlyMap<infer K, infer V>
            ? ReadonlyMap<Clone<K, Levels[D]>, Clone<V, Levels[D]>>
            : T extends Set<infer V>
              ? Set<Clone<V, Levels[D]>>
              : T extends ReadonlySet<infer V>
                ? ReadonlySet<Clone<V, Levels[D]>>
                : T extends Refused
                  ? never
                  : T extends readonly unknown[]
                    ? Readable<T, { [K in keyof T]: Clone<T[K], Levels[D]> }>
                    : Readable<
                        T,
                        // An object's own data: string keys whose values are not functions. Written out
                        // here, not named, so that hovers show the object rather than a type's name.
                        {
                          [K in keyof T as K extends symbol ? never : IsLost<T[K]> extends true ? never : K]: Clone<T[K], Levels[D]>;
                        }
                      >;

/**
 * What a value of type `T` arrives as on the other side, after structured clone. Methods,
 * function-valued properties and symbol-keyed properties are dropped (a class instance arrives as
 * a plain object with its data fields); an `Error` arrives as an `Error` (name, message, stack and
 * cause); `Date`, `RegExp`, binary data, `Blob`s, ports and streams arrive as themselves; `Map`,
 * `Set`, arrays and tuples map their contents. A function or a symbol is `never`: it does not
 * arrive. `any` and `unknown` stay as they are; a type that clones unchanged keeps its name.
 */
export type Cloned<T> = Clone<T, 8>;

// ── What may leave: arguments ────────────────────────────────────────────────────────────────

declare const why: unique symbol;

/**
 * The type of a parameter that no argument can fill: structured clone refuses what the handler asks
 * for. `Why` says why, and shows in the compiler's error.
 */
export interface Unsendable<Why extends string> {
  readonly [why]: Why;
}

/** A function or a symbol parameter as `Unsendable`, kept intersected so that an argument is still typed by it. */
type SendableMember<P> = P extends Function
  ? Unsendable<'functions cannot be sent to the other side: pass data, or expose a handler on this side and call it through context().remote'> & P
  : P extends symbol
    ? Unsendable<'symbols cannot be sent to the other side: pass a string instead'> & P
    : P;

/** A parameter as the caller fills it: functions and symbols are refused (`Unsendable`); `any` stays open. */
type Sendable<P> = IsAny<P> extends true ? P : SendableMember<P>;

/** A parameter list, each parameter `Sendable`; names, optional and rest parameters are kept. */
type SendableArgs<A> = A extends readonly unknown[] ? { [K in keyof A]: Sendable<A[K]> } : never;

// ── The proxy ────────────────────────────────────────────────────────────────────────────────

/**
 * What a remote call returns. A method whose handler returns an async iterable answers with a
 * stream: iterate the call directly (`for await (const x of remote.items())`), or await it for a
 * `RemoteIterator`. Any other method answers with a promise of its (awaited) result. Results and
 * stream items are typed as they arrive: see `Cloned`. An `any` result may be either.
 */
export type RemoteResult<R> =
  IsAny<R> extends true
    ? Promise<any> & AsyncIterable<any>
    : Awaited<R> extends AsyncIterable<infer Item>
      ? RemoteStream<Cloned<Item>>
      : Promise<Cloned<Awaited<R>>>;

/** A call that answers with a stream: awaitable for its iterator, and iterable itself. */
export type RemoteStream<T> = Promise<RemoteIterator<T>> & AsyncIterable<T>;

/**
 * A remote method: the handler's parameters (a function or a symbol is refused: see `Unsendable`),
 * answering through `RemoteResult`. It is a function: `call`, `apply` and `bind` work as on any.
 */
export type RemoteMethod<F extends Fn> = (...args: SendableArgs<Parameters<F>>) => RemoteResult<ReturnType<F>>;

/** `Object.prototype`'s names. */
type ObjectName =
  | 'constructor'
  | 'toString'
  | 'toLocaleString'
  | 'valueOf'
  | 'hasOwnProperty'
  | 'isPrototypeOf'
  | 'propertyIsEnumerable'
  | '__proto__'
  | '__defineGetter__'
  | '__defineSetter__'
  | '__lookupGetter__'
  | '__lookupSetter__';
/** Names no handler answers to, at any level of a dotted method name. */
type Unreachable = ObjectName | 'prototype' | '';
/** Names the root proxy keeps to itself: not remote methods there (`$call` still reaches `then` and `toJSON`). */
type RootLocal = Unreachable | 'then' | 'toJSON' | keyof RemoteBuiltins<unknown>;
/** Names a namespace keeps to itself: it is a function at run time, so `call`, `apply` and `bind` are its own. */
type NamespaceLocal = Unreachable | 'then' | 'toJSON' | 'call' | 'apply' | 'bind';

/** The remote methods and namespaces of `T`, but for the names in `Local`. */
type Members<T, Local, D extends number> = [D] extends [never]
  ? unknown
  : {
      readonly [K in keyof T as K extends Local ? never : K extends string ? (T[K] extends Fn | object ? K : never) : never]: T[K] extends Fn
        ? RemoteMethod<T[K]>
        : RemoteNamespace<T[K], Depth[D]>;
    };

/** A namespace of handlers `T` seen from the other side (`call`, `apply` and `bind` are not its methods). */
export type RemoteNamespace<T, D extends number = 3> = Members<T, NamespaceLocal, D>;

/** The callable shape of handlers `T` seen from the other side (namespaces nest). */
export type RemoteApi<T, D extends number = 4> = Members<T, RootLocal, D>;

/** Every method path of `T` with its function: `['add', fn] | ['math.mul', fn] | …`. */
type Paths<T, Prefix extends string = '', D extends number = 4> = [D] extends [never]
  ? never
  : {
      [K in Exclude<keyof T & string, Unreachable>]: T[K] extends Fn
        ? [`${Prefix}${K}`, T[K]]
        : T[K] extends object
          ? Paths<T[K], `${Prefix}${K}.`, Depth[D]>
          : never;
    }[Exclude<keyof T & string, Unreachable>];

/** A method name of `T`, dotted for namespaces (any string when `T` is `any`). */
export type MethodName<T> = IsAny<T> extends true ? string : Paths<T>[0];
type MethodAt<T, K> = IsAny<T> extends true ? (...args: any[]) => any : Extract<Paths<T>, [K, any]>[1];

/** The built-ins every remote proxy has; the `$` keeps them apart from your method names. */
export interface RemoteBuiltins<T> {
  /**
   * Calls a method with per-call options. Reaches every method, those the proxy keeps to itself
   * included: `$call('toJSON', [])`, `$call('math.call', [x])`.
   * @example await remote.$call('resize', [image], { timeout: 500, signal, transfer: [image.data.buffer] })
   */
  $call<K extends MethodName<T>>(
    method: K,
    args: SendableArgs<Parameters<MethodAt<T, K>>>,
    options?: CallOptions,
  ): RemoteResult<ReturnType<MethodAt<T, K>>>;
  /**
   * Fire-and-forget: no id, no answer, nothing to await.
   * @example remote.$notify('log', 'saved')
   */
  $notify<K extends MethodName<T>>(method: K, ...args: SendableArgs<Parameters<MethodAt<T, K>>>): void;
  /** Closes this side; pending calls on both sides reject with `PeerClosedError`. */
  $close(): void;
  /**
   * Terminates the Worker on the other side (`worker.terminate()`) and closes this side: pending
   * calls reject with `PeerClosedError` at once. Throws `NOT_TERMINABLE` on an endpoint that is not a Worker.
   * @example remote.$terminate()
   */
  $terminate(): void;
}

/**
 * The typed proxy of handlers `T` on the other side. Not a remote method on it: `then`, `toJSON`
 * and `Object.prototype`'s names; on a namespace also `call`, `apply` and `bind`. `$call` reaches
 * those but `Object.prototype`'s, which no handler answers to.
 */
export type Remote<T> = (IsAny<T> extends true ? { readonly [key: string]: any } : RemoteApi<T>) & RemoteBuiltins<T>;

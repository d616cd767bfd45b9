// Type-level checks of the names the proxy keeps to itself. Compiled by `npm run typecheck` (tsc)
// and never run: each `@ts-expect-error` fails the typecheck if the line below it stops being an
// error; each typed assignment fails it if the inferred type changes.
import { connect, type MethodName } from '../../src/index';

/** True when A and B are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Compiles only when its argument is `true`. */
function assertType<_T extends true>(): void {}

// Handlers that use every name the proxy keeps to itself.
const api = {
  add: (a: number, b: number) => a + b,
  then: () => 'then',
  toJSON: () => ({ json: true }),
  toString: () => 42,
  valueOf: () => 42,
  hasOwnProperty: (key: string) => key === 'x',
  __defineGetter__: () => 1,
  call: (n: number) => n,
  apply: () => 'apply',
  bind: () => 'bind',
  $close: () => 'mine',
  math: {
    mul: (a: number, b: number) => a * b,
    call: (n: number) => n * 2,
    apply: () => 'apply',
    bind: () => 'bind',
    then: () => 'then',
    toJSON: () => 'json',
    toString: () => 'string',
    deep: { call: () => 'deep', neg: (n: number) => -n },
  },
};
type Api = typeof api;

declare const port: MessagePort;

export async function nameChecks(): Promise<void> {
  const remote = connect<Api>(port);

  // ── the root: then, toJSON and Object.prototype's names are not remote methods ──
  // not a thenable: awaiting the proxy gives the proxy
  assertType<Equal<Awaited<typeof remote>, typeof remote>>();
  // @ts-expect-error `then` is not a remote method
  void remote.then;
  // @ts-expect-error `toJSON` is not a remote method
  void remote.toJSON;
  // @ts-expect-error not on Object.prototype's typed members, and not a remote method either
  void remote.__defineGetter__;
  // Object.prototype's names are the plain object's own
  assertType<Equal<typeof remote.toString, () => string>>();
  assertType<Equal<ReturnType<typeof remote.valueOf>, Object>>();
  assertType<Equal<ReturnType<typeof remote.hasOwnProperty>, boolean>>();
  // @ts-expect-error toString answers a string here, not a remote call's promise
  const notRemote: Promise<number> = remote.toString();
  void notRemote;
  // on the root (a plain object) call, apply and bind stay remote methods
  assertType<Equal<ReturnType<typeof remote.call>, Promise<number>>>();
  assertType<Equal<ReturnType<typeof remote.apply>, Promise<string>>>();
  assertType<Equal<ReturnType<typeof remote.bind>, Promise<string>>>();
  // a built-in wins over a handler of the same name
  assertType<Equal<ReturnType<typeof remote.$close>, void>>();

  // ── a namespace: also call, apply and bind are its own (it is a function at run time) ──
  assertType<Equal<keyof typeof remote.math, 'mul' | 'deep'>>();
  assertType<Equal<keyof typeof remote.math.deep, 'neg'>>();
  // @ts-expect-error `math.call` is reached with $call
  remote.math.call(1);
  // @ts-expect-error `math.apply` is reached with $call
  remote.math.apply();
  // @ts-expect-error `math.bind` is reached with $call
  remote.math.bind();
  // @ts-expect-error `math.then` is not a remote method
  void remote.math.then;
  // @ts-expect-error `math.toJSON` is not a remote method
  void remote.math.toJSON;
  // @ts-expect-error `math.deep.call` is reached with $call
  remote.math.deep.call();
  const product: Promise<number> = remote.math.mul(2, 3);
  void product;

  // ── a remote method is a function: call, apply and bind work as on any ──
  const applied: Promise<number> = remote.add.apply(null, [1, 2]);
  const called: Promise<number> = remote.add.call(undefined, 1, 2);
  const bound = remote.add.bind(null, 1);
  assertType<Equal<typeof bound, (b: number) => Promise<number>>>();
  const nested: Promise<number> = remote.math.mul.call(null, 2, 3);
  const deep: Promise<number> = remote.math.deep.neg.apply(null, [1]);
  void applied;
  void called;
  void nested;
  void deep;
  // @ts-expect-error apply checks the arguments
  remote.add.apply(null, ['1', 2]);
  // @ts-expect-error call checks the arguments
  remote.add.call(null, 1);

  // ── $call and $notify reach every real method, those the proxy keeps included ──
  const json: Promise<{ json: boolean }> = remote.$call('toJSON', []);
  const then: Promise<string> = remote.$call('then', []);
  const mathCall: Promise<number> = remote.$call('math.call', [2]);
  const deepCall: Promise<string> = remote.$call('math.deep.call', []);
  const mine: Promise<string> = remote.$call('$close', []);
  void json;
  void then;
  void mathCall;
  void deepCall;
  void mine;
  remote.$notify('math.apply');
  remote.$notify('math.then');
  remote.$notify('math.toJSON');
  // @ts-expect-error math.call takes a number
  remote.$call('math.call', ['2']);
  // …but not Object.prototype's names: no handler answers to them, at any level
  // @ts-expect-error never callable on the other side
  remote.$call('toString', []);
  // @ts-expect-error never callable on the other side
  remote.$call('hasOwnProperty', ['x']);
  // @ts-expect-error never callable on the other side
  remote.$notify('__defineGetter__');
  // @ts-expect-error never callable on the other side
  remote.$call('math.toString', []);
  assertType<
    Equal<
      MethodName<Api>,
      | 'add'
      | 'then'
      | 'toJSON'
      | 'call'
      | 'apply'
      | 'bind'
      | '$close'
      | 'math.mul'
      | 'math.call'
      | 'math.apply'
      | 'math.bind'
      | 'math.then'
      | 'math.toJSON'
      | 'math.deep.call'
      | 'math.deep.neg'
    >
  >();
}

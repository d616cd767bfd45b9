// Type-level checks, compiled by `npm run typecheck` (tsc) and never run. Each `@ts-expect-error`
// fails the typecheck if the line below it stops being an error; each typed assignment fails it if
// the inferred type changes.
import {
  connect,
  context,
  createPeer,
  expose,
  type CallContext,
  type Middleware,
  type Peer,
  type Remote,
  type RemoteIterator,
  type RemoteStream,
} from '../../src/index';
import { connect as connectNode } from '../../src/node/index';

/** True when A and B are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Compiles only when its argument is `true`. */
function assertType<_T extends true>(): void {}

class Counter {
  #count = 0;
  bump(by: number): number {
    return (this.#count += by);
  }
}

const api = {
  add(a: number, b: number) {
    return a + b;
  },
  async greet(name: string, excited?: boolean) {
    return `hi ${name}${excited ? '!' : ''}`;
  },
  nothing(): void {},
  async *count(to: number) {
    for (let i = 0; i < to; i++) yield i;
  },
  async later(n: number) {
    return (async function* () {
      yield String(n);
    })();
  },
  async total(values: AsyncIterable<number>) {
    let sum = 0;
    for await (const value of values) sum += value;
    return sum;
  },
  log(message: string, level: 'info' | 'warn'): void {
    void message;
    void level;
  },
  math: {
    mul: (a: number, b: number) => a * b,
    deep: { neg: (a: number) => -a },
  },
  counter: new Counter(),
  version: '1.0.0',
};
type Api = typeof api;

declare const port: MessagePort;
declare const nodePort: import('node:worker_threads').MessagePort;

export async function typeChecks(): Promise<void> {
  const remote = connect<Api>(port);
  assertType<Equal<typeof remote, Remote<Api>>>();

  // ── parameters and results are inferred ──
  const sum: Promise<number> = remote.add(1, 2);
  assertType<Equal<ReturnType<typeof remote.add>, Promise<number>>>();
  assertType<Equal<Parameters<typeof remote.add>, [a: number, b: number]>>();
  // @ts-expect-error a string is not a number
  remote.add('1', 2);
  // @ts-expect-error too few arguments
  remote.add(1);
  // @ts-expect-error too many arguments
  remote.add(1, 2, 3);
  // @ts-expect-error the result is a number, not a string
  const wrong: Promise<string> = remote.add(1, 2);
  void sum;
  void wrong;

  // an async handler is not double-wrapped; optional parameters stay optional
  assertType<Equal<ReturnType<typeof remote.greet>, Promise<string>>>();
  await remote.greet('ada');
  await remote.greet('ada', true);
  assertType<Equal<ReturnType<typeof remote.nothing>, Promise<void>>>();

  // ── a generator method: for-await-able and awaitable to a RemoteIterator ──
  const stream = remote.count(3);
  assertType<Equal<typeof stream, RemoteStream<number>>>();
  for await (const n of remote.count(3)) {
    assertType<Equal<typeof n, number>>();
  }
  const iterator = await remote.count(3);
  assertType<Equal<typeof iterator, RemoteIterator<number>>>();
  const step = await iterator.next();
  if (!step.done) assertType<Equal<typeof step.value, number>>();
  await iterator.return();
  for await (const n of iterator) void n;
  // @ts-expect-error items are numbers
  for await (const n of remote.count(3)) n.toUpperCase();
  // an async method resolving to a generator streams as well
  for await (const s of remote.later(1)) assertType<Equal<typeof s, string>>();

  // ── an AsyncIterable parameter takes any async iterable, not an array ──
  async function* numbers() {
    yield 1;
  }
  const total: Promise<number> = remote.total(numbers());
  void total;
  // @ts-expect-error an array is not an AsyncIterable
  remote.total([1, 2]);
  // @ts-expect-error items must be numbers
  remote.total((async function* () {
    yield 'x';
  })());

  // ── namespaces and class instances type-check ──
  const product: Promise<number> = remote.math.mul(2, 3);
  const negated: Promise<number> = remote.math.deep.neg(1);
  const bumped: Promise<number> = remote.counter.bump(1);
  void product;
  void negated;
  void bumped;
  // @ts-expect-error not in the namespace
  remote.math.div(1, 2);
  // @ts-expect-error wrong argument type in a namespace
  remote.math.deep.neg('1');
  // @ts-expect-error a data property is not callable, nor present on the proxy
  remote.version();
  // @ts-expect-error the proxy is read-only
  remote.add = remote.add;

  // ── $call checks the method name and the arguments; options are typed ──
  const viaCall: Promise<number> = remote.$call('add', [1, 2]);
  const nested: Promise<number> = remote.$call('math.deep.neg', [4], { timeout: 500 });
  void viaCall;
  void nested;
  const controller = new AbortController();
  const buffer = new ArrayBuffer(8);
  await remote.$call('greet', ['ada', true], { signal: controller.signal, timeout: 0, transfer: [buffer] });
  for await (const n of remote.$call('count', [3], { window: 16 })) assertType<Equal<typeof n, number>>();
  assertType<Equal<Awaited<ReturnType<typeof remote.$call<'count'>>>, RemoteIterator<number>>>();
  // @ts-expect-error unknown method
  remote.$call('nope', []);
  // @ts-expect-error a data property is not a method
  remote.$call('version', []);
  // @ts-expect-error a namespace is not a method
  remote.$call('math', []);
  // @ts-expect-error wrong argument types
  remote.$call('add', ['1', 2]);
  // @ts-expect-error arguments go in an array
  remote.$call('add', 1, 2);
  // @ts-expect-error missing arguments
  remote.$call('add', [1]);
  // @ts-expect-error unknown option
  remote.$call('add', [1, 2], { retries: 3 });
  // @ts-expect-error the timeout is a number
  remote.$call('add', [1, 2], { timeout: '5s' });

  // ── $notify is typed and returns nothing ──
  const notified: void = remote.$notify('log', 'saved', 'info');
  void notified;
  remote.$notify('math.mul', 2, 3);
  // @ts-expect-error unknown method
  remote.$notify('nope');
  // @ts-expect-error wrong argument type
  remote.$notify('log', 'saved', 'debug');
  // @ts-expect-error missing argument
  remote.$notify('log', 'saved');
  // @ts-expect-error nothing to await: it is void, not a promise
  remote.$notify('log', 'saved', 'info').then(() => {});

  // ── $close ──
  assertType<Equal<ReturnType<typeof remote.$close>, void>>();

  // ── createPeer / expose / the node entry ──
  const peer = createPeer<Api>(port, { handlers: { ping: () => 'pong' }, timeout: 5000, window: 64, channel: 'c' });
  assertType<Equal<typeof peer, Peer<Api>>>();
  const fromPeer: Promise<number> = peer.remote.add(1, 2);
  void fromPeer;
  const closed: boolean = peer.closed;
  void closed;
  const exposed = expose(api, port, { timeout: 100 });
  exposed.close();
  // @ts-expect-error expose takes its handlers as the first argument, not in the options
  expose(api, port, { handlers: api });
  // @ts-expect-error the timeout option is a number
  createPeer(port, { timeout: '5s' });
  // @ts-expect-error not an endpoint
  connect<Api>({});
  const fromNode = connectNode<Api>(nodePort);
  const nodeSum: Promise<number> = fromNode.add(1, 2);
  void nodeSum;

  // ── context and middleware ──
  const ctx = context<Remote<{ progress(percent: number): void }>>();
  const signal: AbortSignal = ctx.signal;
  const method: string = ctx.method;
  void signal;
  void method;
  await ctx.remote.progress(50);
  // @ts-expect-error progress takes a number
  await ctx.remote.progress('50%');
  const mw: Middleware = async (c: CallContext, next) => {
    c.args = [...c.args];
    return next();
  };
  createPeer(port, { middleware: [mw] });
}

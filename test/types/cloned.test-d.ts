// Type-level checks that results, stream items and arguments are typed as structured clone lets
// them cross. Compiled by `npm run typecheck` (tsc) and never run: each `@ts-expect-error` fails
// the typecheck if the line below it stops being an error; each typed assignment fails it if the
// inferred type changes.
import { connect, transfer, type Cloned, type RemoteIterator, type RemoteStream, type Unsendable } from '../../src/index';

/** True when A and B are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Compiles only when its argument is `true`. */
function assertType<_T extends true>(): void {}
/** What a call of `F` resolves to. */
type Answer<F extends (...args: any) => any> = Awaited<ReturnType<F>>;

class Point {
  #secret = 0;
  constructor(
    public x: number,
    public y: number,
  ) {}
  len(): number {
    return Math.hypot(this.x, this.y) + this.#secret;
  }
}
class HttpError extends Error {
  status = 500;
}
interface Info {
  id: number;
  tags: readonly string[];
  note?: string;
}
interface Chat {
  name: string;
  message: string;
}
interface Tree {
  value: number;
  children: Tree[];
  parent?: Tree;
}
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type UserId = string & { readonly __brand: 'UserId' };
declare const usd: unique symbol;
type Usd = number & { readonly [usd]: true };
declare const tag: unique symbol;
type Shape = { kind: 'circle'; r: number } | { kind: 'square'; side: number; area(): number };
interface Settings {
  readonly name: string;
  size?: number;
  onChange?: () => void;
  reset: (() => void) | null;
  when: Date;
  extra: any;
  meta: unknown;
  [tag]: string;
}
enum Color {
  Red = 'red',
}

declare const nodeBuffer: Buffer;
declare const nodePort: import('node:worker_threads').MessagePort;

const api = {
  plain: () => ({ a: 1, b: ['x'] }),
  info: (): Info => ({ id: 1, tags: [] }),
  makePoint: () => new Point(1, 2),
  points: () => [new Point(1, 2)],
  pair: (): [Point, string] => [new Point(1, 2), 'p'],
  frozen: (): readonly [number, string?] => [1],
  maybePoint: (): Point | null => null,
  shape: (): Shape => ({ kind: 'circle', r: 1 }),
  fail: () => new HttpError(),
  range: () => new RangeError('x'),
  chat: (): Chat => ({ name: 'ada', message: 'hi' }),
  settings: (): Settings => null!,
  tree: (): Tree => ({ value: 1, children: [] }),
  json: (): Json => null,
  id: () => 'u1' as UserId,
  usd: () => 1 as Usd,
  color: () => Color.Red,
  literal: () => 'on' as 'on' | 'off',
  big: () => 1n,
  nothing: (): void => {},
  fn: () => () => 1,
  sym: () => Symbol('s'),
  any: (): any => 1,
  unknown: (): unknown => 1,
  async later() {
    return new Point(1, 2);
  },
  async promises() {
    return { ready: Promise.resolve(1), cache: new WeakMap<object, number>() };
  },
  builtins: () => ({
    date: new Date(),
    pattern: /x/,
    buffer: new ArrayBuffer(1),
    bytes: new Uint8Array(1),
    view: new DataView(new ArrayBuffer(1)),
    blob: new Blob([]),
    file: new File([], 'f'),
    port: new MessageChannel().port1,
    stream: new ReadableStream<number>(),
    points: new Map<string, Point>(),
    seen: new Set<Point>(),
    lookup: new Map<string, number>() as ReadonlyMap<string, number>,
  }),
  nodeBuffer: () => nodeBuffer,
  nodePort: () => nodePort,
  async *stream() {
    yield new Point(1, 2);
  },

  onEvent(listener: (event: string) => void, times: number) {
    void listener;
    void times;
  },
  key(key: symbol) {
    void key;
  },
  either(value: string | (() => string)) {
    void value;
  },
  later2(delay: number, callback?: () => void) {
    void delay;
    void callback;
  },
  each(...callbacks: Array<() => void>) {
    void callbacks;
  },
  loose(a: any, b: unknown) {
    void a;
    void b;
  },
  move(p: Point) {
    void p;
  },
  digest(data: ArrayBuffer) {
    void data;
  },
  frame(frame: { pixels: ArrayBuffer; width: number }) {
    void frame;
  },
  adopt(port: MessagePort) {
    void port;
  },
  async total(values: AsyncIterable<number>) {
    let sum = 0;
    for await (const value of values) sum += value;
    return sum;
  },
  configure(options: { onProgress: (percent: number) => void }) {
    void options;
  },
};
type Api = typeof api;

declare const port: MessagePort;

export async function clonedChecks(): Promise<void> {
  const remote = connect<Api>(port);

  // ── data that clones unchanged is typed as written, both ways ──
  const plain: { a: number; b: string[] } = await remote.plain();
  const back: Answer<typeof remote.plain> = { a: 1, b: ['x'] };
  void plain;
  void back;
  assertType<Equal<Answer<typeof remote.plain>, { a: number; b: string[] }>>();
  // a named type that clones unchanged keeps its name (and its optional and readonly members)
  assertType<Equal<Answer<typeof remote.info>, Info>>();
  assertType<Equal<Answer<typeof remote.tree>, Tree>>();
  assertType<Equal<Answer<typeof remote.json>, Json>>();
  const tree: Tree = await remote.tree();
  const json: Json = await remote.json();
  void tree;
  void json;

  // ── a class instance arrives as its data fields ──
  const point = await remote.makePoint();
  assertType<Equal<typeof point, { x: number; y: number }>>();
  const x: number = point.x;
  void x;
  // @ts-expect-error methods stay on the other side
  (await remote.makePoint()).len();
  // @ts-expect-error methods stay on the other side, in arrays too
  (await remote.points())[0]?.len();
  assertType<Equal<Answer<typeof remote.points>, { x: number; y: number }[]>>();
  assertType<Equal<Answer<typeof remote.pair>, [{ x: number; y: number }, string]>>();
  assertType<Equal<Answer<typeof remote.frozen>, readonly [number, string?]>>();
  // an async handler is awaited first
  assertType<Equal<Answer<typeof remote.later>, { x: number; y: number }>>();

  // ── unions distribute, tags still narrow ──
  assertType<Equal<Answer<typeof remote.maybePoint>, { x: number; y: number } | null>>();
  const shape = await remote.shape();
  if (shape.kind === 'square') {
    const side: number = shape.side;
    void side;
    // @ts-expect-error a method of a union member is dropped too
    shape.area();
  }

  // ── properties: functions and symbol keys are dropped; modifiers, any and unknown kept ──
  assertType<
    Equal<Answer<typeof remote.settings>, { readonly name: string; size?: number; when: Date; extra: any; meta: unknown }>
  >();

  // ── errors arrive as Error: name, message, stack and cause, not custom fields ──
  const error = await remote.fail();
  assertType<Equal<typeof error, Error>>();
  const message: string = error.message;
  void message;
  // @ts-expect-error custom fields of an error do not cross
  void error.status;
  const range: Error = await remote.range();
  void range;
  // plain data that has a name and a message is not an Error
  assertType<Equal<Answer<typeof remote.chat>, Chat>>();

  // ── primitives, literals, enums and branded primitives are as they are ──
  assertType<Equal<Answer<typeof remote.id>, UserId>>();
  assertType<Equal<Answer<typeof remote.usd>, Usd>>();
  assertType<Equal<Answer<typeof remote.color>, Color>>();
  assertType<Equal<Answer<typeof remote.literal>, 'on' | 'off'>>();
  assertType<Equal<Answer<typeof remote.big>, bigint>>();
  assertType<Equal<ReturnType<typeof remote.nothing>, Promise<void>>>();

  // ── a function or a symbol never arrives; any and unknown stay ──
  assertType<Equal<ReturnType<typeof remote.fn>, Promise<never>>>();
  assertType<Equal<ReturnType<typeof remote.sym>, Promise<never>>>();
  assertType<Equal<Answer<typeof remote.any>, any>>();
  for await (const item of remote.any()) assertType<Equal<typeof item, any>>();
  assertType<Equal<ReturnType<typeof remote.unknown>, Promise<unknown>>>();
  // promises and weak collections inside a result cannot be cloned
  assertType<Equal<Answer<typeof remote.promises>, { ready: never; cache: never }>>();

  // ── built-ins, binary data, blobs, ports and streams arrive as themselves ──
  const b = await remote.builtins();
  assertType<Equal<typeof b.date, Date>>();
  assertType<Equal<typeof b.pattern, RegExp>>();
  assertType<Equal<typeof b.buffer, ArrayBuffer>>();
  assertType<Equal<typeof b.bytes, Uint8Array<ArrayBuffer>>>();
  assertType<Equal<typeof b.view, DataView<ArrayBuffer>>>();
  assertType<Equal<typeof b.blob, Blob>>();
  assertType<Equal<typeof b.file, File>>();
  assertType<Equal<typeof b.port, MessagePort>>();
  assertType<Equal<typeof b.stream, ReadableStream<number>>>();
  b.port.postMessage('hi');
  await b.blob.text();
  // Map and Set map their contents
  assertType<Equal<typeof b.points, Map<string, { x: number; y: number }>>>();
  assertType<Equal<typeof b.seen, Set<{ x: number; y: number }>>>();
  assertType<Equal<typeof b.lookup, ReadonlyMap<string, number>>>();
  // Node.js: a Buffer arrives as a Uint8Array; a worker_threads port as itself
  assertType<Equal<Answer<typeof remote.nodeBuffer>, Uint8Array>>();
  // @ts-expect-error Buffer's methods do not cross
  (await remote.nodeBuffer()).readUInt8(0);
  assertType<Equal<Answer<typeof remote.nodePort>, import('node:worker_threads').MessagePort>>();

  // ── stream items are mapped the same way ──
  assertType<Equal<ReturnType<typeof remote.stream>, RemoteStream<{ x: number; y: number }>>>();
  for await (const item of remote.stream()) {
    // @ts-expect-error items are data: methods stay on the other side
    item.len();
  }
  const iterator: RemoteIterator<{ x: number; y: number }> = await remote.stream();
  void iterator;
  assertType<Equal<ReturnType<typeof remote.$call<'stream'>>, RemoteStream<{ x: number; y: number }>>>();
  assertType<Equal<Answer<typeof remote.$call<'makePoint'>>, { x: number; y: number }>>();

  // ── Cloned on its own ──
  assertType<Equal<Cloned<Point>, { x: number; y: number }>>();
  assertType<Equal<Cloned<Point | string>, { x: number; y: number } | string>>();
  assertType<Equal<Cloned<{ at: Date; fn: () => void; [tag]: 1 }>, { at: Date }>>();
  assertType<Equal<Cloned<any>, any>>();
  assertType<Equal<Cloned<unknown>, unknown>>();
  assertType<Equal<Cloned<never>, never>>();
  assertType<Equal<Cloned<unknown[]>, unknown[]>>();
  assertType<Equal<Cloned<Record<string, unknown>>, Record<string, unknown>>>();

  // ── arguments: a function or a symbol cannot be sent ──
  // @ts-expect-error functions cannot be sent to the other side
  remote.onEvent(() => {}, 1);
  type Refusal = 'functions cannot be sent to the other side: pass data, or expose a handler on this side and call it through context().remote';
  // (the handler's type stays in the intersection, so that an arrow function is still contextually typed)
  assertType<Equal<Parameters<typeof remote.onEvent>, [listener: Unsendable<Refusal> & ((event: string) => void), times: number]>>();
  // @ts-expect-error symbols cannot be sent to the other side
  remote.key(Symbol('k'));
  await remote.either('text');
  // @ts-expect-error the function member of a union cannot be sent
  remote.either(() => 'text');
  // optional and rest parameters keep working
  await remote.later2(10);
  // @ts-expect-error an optional function is still a function
  remote.later2(10, () => {});
  await remote.each();
  // @ts-expect-error rest parameters are checked each
  remote.each(() => {});
  // any and unknown stay open
  await remote.loose(() => {}, () => {});
  // a class instance clones as its fields: its methods do not stop it
  await remote.move(new Point(1, 2));
  // transfer-marked values and async-iterable uploads are fine
  const buffer = new ArrayBuffer(8);
  await remote.digest(transfer(buffer, [buffer]));
  await remote.frame(transfer({ pixels: buffer, width: 1 }, [buffer]));
  const channel = new MessageChannel();
  await remote.adopt(transfer(channel.port2, [channel.port2]));
  async function* numbers() {
    yield 1;
  }
  await remote.total(numbers());
  // Properties of object arguments are not checked: types cannot tell a plain object's function
  // field (refused at run time) from a class instance's method (which clones fine).
  void remote.configure;

  // $call and $notify check their arguments as the direct call does
  // @ts-expect-error functions cannot be sent to the other side
  remote.$call('onEvent', [() => {}, 1]);
  // @ts-expect-error functions cannot be sent to the other side
  remote.$notify('onEvent', () => {}, 1);
  // @ts-expect-error symbols cannot be sent to the other side
  remote.$notify('key', Symbol('k'));
  await remote.$call('later2', [10]);
  await remote.$call('digest', [buffer], { transfer: [buffer] });
  remote.$notify('loose', () => {}, Symbol('ok'));
}

import { EventEmitter } from 'node:events';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { MethodNotFoundError, type Peer } from '../../src/index';
import { createPeer, expose } from '../../src/node/index';

// Method names are attacker-chosen strings: only what the handler object offers on purpose (own
// enumerable functions, nested plain-object namespaces, a class's own methods) may resolve. Nothing
// reachable through a prototype may be called, read or changed.

class Counter {
  #count = 0;
  bump(by: number): number {
    this.#count += by;
    return this.#count;
  }
}

class BaseService {
  inherited(): string {
    return 'from the base class';
  }
}

class Service extends BaseService {
  #secret = 'kept';
  hello(name: string): string {
    return `hello ${name}`;
  }
  reveal(): string {
    return this.#secret;
  }
}

/** A handler object of the usual shapes, including state kept in data properties. */
function makeHandlers() {
  return {
    add: (a: number, b: number) => a + b,
    math: { mul: (a: number, b: number) => a * b, deeper: { square: (a: number) => a * a } },
    counter: new Counter(),
    // State a handler object commonly keeps for its own methods (`this.items.push(…)`).
    items: ['first', 'second'],
    registry: new Map<string, string>([['key', 'value']]),
    created: new Date(0),
    config: { secret: 'do not read', limit: 3 },
    addItem(this: { items: string[] }, item: string) {
      this.items.push(item);
      return this.items.length;
    },
  };
}

/** Names that must answer MethodNotFoundError on `makeHandlers()`. */
const FORBIDDEN = [
  // Object.prototype, one by one, and the names around it
  '__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf',
  'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', '__defineSetter__', '__lookupGetter__',
  '__lookupSetter__', '', '.', 'add.', '.add', 'add..add',
  // dotted paths into inherited objects
  'constructor.prototype', 'constructor.constructor', 'constructor.prototype.polluted', '__proto__.polluted',
  '__proto__.__defineGetter__', '__proto__.constructor', '__proto__.constructor.constructor', 'toString.call',
  'valueOf.apply', 'hasOwnProperty.call', 'prototype.constructor',
  // into namespaces, class instances and functions
  'math.__proto__', 'math.constructor', 'math.prototype', 'math.toString', 'math.hasOwnProperty',
  'math.__defineGetter__', 'math.deeper.__proto__', 'math.deeper.constructor', 'math.mul.call', 'math.mul.apply',
  'math.mul.bind', 'math.mul.constructor', 'math.mul.prototype', 'counter.constructor', 'counter.__proto__',
  'counter.constructor.prototype', 'counter.prototype', 'counter.bump.call', 'add.call', 'add.apply', 'add.bind',
  'add.constructor', 'add.prototype', 'add.length', 'add.name', 'addItem.call',
  // data the handler object keeps: neither callable nor readable
  'config', 'config.secret', 'config.limit', 'items.length', 'items.0', 'created',
];

/** Methods of built-in prototypes under data the handler object keeps: calling them reads or changes it. */
const BUILTIN_METHODS: Array<[string, unknown[]]> = [
  ['items.push', ['pushed remotely']],
  ['items.pop', []],
  ['items.splice', [0]],
  ['items.fill', ['overwritten']],
  ['items.join', [',']],
  ['items.at', [0]],
  ['registry.set', ['injected', 'remotely']],
  ['registry.delete', ['key']],
  ['registry.clear', []],
  ['registry.get', ['key']],
  ['created.setTime', [123]],
  ['created.toJSON', []],
  ['created.getTime', []],
];

/** Own keys, property descriptors and reachable contents, so any change shows. */
function snapshot(handlers: ReturnType<typeof makeHandlers>) {
  const descriptors = (target: object) =>
    Object.entries(Object.getOwnPropertyDescriptors(target)).map(([key, d]) => [key, d.value, d.get, d.set, d.enumerable, d.writable]);
  return {
    top: descriptors(handlers),
    proto: Object.getPrototypeOf(handlers),
    math: descriptors(handlers.math),
    mathProto: Object.getPrototypeOf(handlers.math),
    deeper: descriptors(handlers.math.deeper),
    counterProto: descriptors(Counter.prototype),
    counterOwn: descriptors(handlers.counter),
    items: [...handlers.items],
    registry: [...handlers.registry],
    created: handlers.created.getTime(),
    config: descriptors(handlers.config),
  };
}

const objectPrototype = () =>
  Object.entries(Object.getOwnPropertyDescriptors(Object.prototype)).map(([key, d]) => [key, d.value, d.get, d.set]);

const open: Array<() => void> = [];
afterEach(() => {
  for (const close of open.splice(0)) close();
});

function connectTo<H extends object>(handlers: H) {
  const { port1, port2 } = new MessageChannel();
  const farErrors: unknown[] = [];
  const far = expose(handlers, port2, { onError: (error) => void farErrors.push(error) });
  const near: Peer = createPeer(port1, {});
  open.push(() => {
    near.close();
    far.close();
    port1.close();
  });
  return { near, far, farErrors };
}

async function methodNotFound(near: Peer, name: string, args: unknown[] = []): Promise<string | undefined> {
  try {
    const value = await near.remote.$call(name as never, args as never);
    return `${JSON.stringify(name)} answered ${JSON.stringify(value)}`;
  } catch (error) {
    if (error instanceof MethodNotFoundError && error.method === name && error.rpcCode === -32601) return undefined;
    return `${JSON.stringify(name)} failed with ${(error as Error).name}: ${(error as Error).message}`;
  }
}

describe('method names: prototype keys and inherited paths never resolve', () => {
  it('the legitimate names resolve (so the refusals below mean something)', async () => {
    const { near } = connectTo(makeHandlers());
    expect(await near.remote.add(1, 2)).toBe(3);
    expect(await near.remote.$call('math.mul', [6, 7])).toBe(42);
    expect(await near.remote.$call('math.deeper.square', [5])).toBe(25);
    expect(await near.remote.$call('counter.bump', [2])).toBe(2);
    expect(await near.remote.$call('addItem', ['third'])).toBe(3);
  });

  it('Object.prototype names and dotted paths into inherited objects answer MethodNotFoundError, and change nothing', async () => {
    const handlers = makeHandlers();
    const { near, farErrors } = connectTo(handlers);
    const before = snapshot(handlers);
    const protoBefore = objectPrototype();
    const wrong: string[] = [];
    for (const name of FORBIDDEN) {
      // Arguments an attacker would pass to make the call harmful if it went through.
      const problem = await methodNotFound(near, name, ['polluted', { polluted: true }]);
      if (problem) wrong.push(problem);
    }
    expect(wrong).toEqual([]);
    expect(snapshot(handlers)).toEqual(before);
    expect(snapshot(handlers).top.every(([key, value], i) => key === before.top[i]![0] && value === before.top[i]![1])).toBe(true);
    expect(objectPrototype()).toEqual(protoBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await near.remote.$call('counter.bump', [0])).toBe(0);
    expect(farErrors).toEqual([]);
  });

  it('the same names as notifications reach no handler: each is reported to onError as MethodNotFoundError', async () => {
    const handlers = makeHandlers();
    const { near, farErrors } = connectTo(handlers);
    const before = snapshot(handlers);
    for (const name of FORBIDDEN) near.remote.$notify(name as never, 'polluted' as never);
    expect(await near.remote.add(0, 0)).toBe(0);
    expect(farErrors.map((e) => (e instanceof MethodNotFoundError ? e.method : String(e)))).toEqual(FORBIDDEN);
    expect(snapshot(handlers)).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('methods of built-in prototypes under kept data (arrays, Maps, Dates) are not callable: they would read or change the handler object', async () => {
    const handlers = makeHandlers();
    const { near } = connectTo(handlers);
    const before = snapshot(handlers);
    const wrong: string[] = [];
    for (const [name, args] of BUILTIN_METHODS) {
      const problem = await methodNotFound(near, name, args);
      if (problem) wrong.push(problem);
    }
    const after = snapshot(handlers);
    expect({ wrong, items: after.items, registry: after.registry, created: after.created }).toEqual({
      wrong: [],
      items: before.items,
      registry: before.registry,
      created: before.created,
    });
  });

  it('a class instance as the handler object: its own methods (inherited from its own classes) answer, nothing else', async () => {
    const service = new Service();
    const { near } = connectTo(service);
    expect(await near.remote.$call('hello', ['you'])).toBe('hello you');
    expect(await near.remote.$call('inherited', [])).toBe('from the base class');
    const wrong: string[] = [];
    for (const name of [
      'constructor', 'constructor.prototype', 'constructor.constructor', '__proto__', '__proto__.hello', 'prototype',
      'toString', 'hasOwnProperty', 'hello.call', 'hello.constructor', 'inherited.call', '#secret', 'secret',
    ]) {
      const problem = await methodNotFound(near, name, ['polluted']);
      if (problem) wrong.push(problem);
    }
    expect(wrong).toEqual([]);
    expect(await near.remote.$call('reveal', [])).toBe('kept');
    expect(Object.getOwnPropertyNames(Service.prototype).sort()).toEqual(['constructor', 'hello', 'reveal']);
  });

  it('a class instance that extends EventEmitter: the emitter machinery is not remotely callable', async () => {
    class Emitting extends EventEmitter {
      ping(): string {
        return 'pong';
      }
    }
    const service = new Emitting();
    const listener = () => {};
    service.on('data', listener);
    const { near } = connectTo(service);
    expect(await near.remote.$call('ping', [])).toBe('pong');
    const wrong: string[] = [];
    for (const [name, args] of [
      ['removeAllListeners', []],
      ['setMaxListeners', [0]],
      ['emit', ['data', 'forged']],
      ['on', ['data']],
      ['eventNames', []],
      ['listenerCount', ['data']],
    ] as Array<[string, unknown[]]>) {
      const problem = await methodNotFound(near, name, args);
      if (problem) wrong.push(problem);
    }
    expect({ wrong, listeners: service.listeners('data') }).toEqual({ wrong: [], listeners: [listener] });
  });
});

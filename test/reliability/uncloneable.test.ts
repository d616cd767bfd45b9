import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { DataCloneError, RemoteError, type CloneSite } from '../../src/index';
import { createPeer, expose } from '../../src/node/index';
import { EMPTY_STATS, waitFor } from './support';

// Values structured clone refuses (functions, symbols) in arguments, results, stream items and
// thrown errors: a DataCloneError naming the method and where, on the side that holds the call or
// stream; notifications report to the sender's onError. Class instances do clone, as plain objects:
// what they keep and lose is pinned down below.

class Point {
  constructor(
    public x: number,
    public y: number,
  ) {}
  norm(): number {
    return Math.hypot(this.x, this.y);
  }
}

class Guarded {
  #secret = 'private field';
  visible = 'own field';
  get computed(): string {
    return `getter of ${this.#secret}`;
  }
}

class AppError extends Error {
  status = 418;
  override name = 'AppError';
  describe(): string {
    return `${this.name}: ${this.message}`;
  }
}

const fn = () => 'functions do not clone';
const sym = Symbol('symbols do not clone');
/** Uncloneable values, each in a few disguises. */
const UNCLONEABLE: Array<[string, () => unknown]> = [
  ['a function', () => fn],
  ['a symbol', () => sym],
  ['a function in an object', () => ({ ok: 1, fn })],
  ['a symbol in an array', () => [1, sym]],
  ['a function in a Map', () => new Map([['k', fn]])],
];

function makeFar() {
  const runs: Record<string, number> = {};
  const count = (name: string) => void (runs[name] = (runs[name] ?? 0) + 1);
  const finallyRan: string[] = [];
  const handlers = {
    echo(value: unknown) {
      count('echo');
      return value;
    },
    add: (a: number, b: number) => a + b,
    /** What arrived, as the far side sees it. */
    inspect(value: unknown) {
      count('inspect');
      const object = value as Record<string, unknown>;
      return {
        isPlainObject: Object.getPrototypeOf(object) === Object.prototype,
        keys: Object.keys(object),
        method: typeof object.norm,
      };
    },
    result(which: number) {
      return UNCLONEABLE[which]![1]();
    },
    async *items(which: number) {
      try {
        yield 0;
        yield 1;
        yield UNCLONEABLE[which]![1]();
        yield 3;
      } finally {
        finallyRan.push(`items:${which}`);
      }
    },
    async *failsUncloneably() {
      yield 0;
      yield 1;
      throw Object.assign(new Error('carries a function'), { fn });
    },
    async sum(values: AsyncIterable<number>) {
      let total = 0;
      for await (const value of values) total += value;
      return total;
    },
    throwFunctionProperty() {
      throw Object.assign(new Error('has a function property'), { fn });
    },
    throwSymbol() {
      throw sym;
    },
    throwFunction() {
      throw fn;
    },
    throwFunctionCause() {
      throw new Error('its cause is a function', { cause: fn });
    },
    throwAppError() {
      throw new AppError('teapot');
    },
    point: () => new Point(3, 4),
    guarded: () => new Guarded(),
    async *points() {
      yield new Point(1, 2);
    },
    note(value: unknown) {
      count('note');
      return value;
    },
  };
  return { handlers, runs, finallyRan };
}

const open: Array<() => void> = [];
afterEach(() => {
  for (const close of open.splice(0)) close();
});

function connect() {
  const { port1, port2 } = new MessageChannel();
  const far = makeFar();
  const farErrors: unknown[] = [];
  const nearErrors: unknown[] = [];
  const farPeer = expose(far.handlers, port2, { onError: (e) => void farErrors.push(e) });
  const near = createPeer<typeof far.handlers>(port1, { onError: (e) => void nearErrors.push(e) });
  open.push(() => {
    near.close();
    farPeer.close();
    port1.close();
  });
  /** The peer still answers both ways, and neither side holds anything. */
  const stillWorks = async () => {
    expect(await near.remote.add(2, 3)).toBe(5);
    expect({ near: near.stats, far: farPeer.stats }).toEqual({ near: EMPTY_STATS, far: EMPTY_STATS });
  };
  return { near, farPeer, far, farErrors, nearErrors, stillWorks };
}

/** The rejection of `promise`, which must be a DataCloneError for `method` at `where`. */
async function dataCloneError(promise: Promise<unknown>, method: string, where: CloneSite): Promise<DataCloneError> {
  const error = await promise.then(
    (value) => new Error(`resolved with ${String(value)}`),
    (e: unknown) => e,
  );
  if (error instanceof RemoteError) {
    throw new Error(`expected DataCloneError(${method}, ${where}); got RemoteError ${error.remoteName}: ${error.message}`);
  }
  expect(error).toBeInstanceOf(DataCloneError);
  const clone = error as DataCloneError;
  expect({ name: clone.name, code: clone.code, method: clone.method, where: clone.where }).toEqual({
    name: 'DataCloneError',
    code: 'DATA_CLONE',
    method,
    where,
  });
  expect(clone.rpcCode).toBe(where === 'argument' || where === 'notification' ? -32602 : -32603);
  expect(clone.message).toContain(method);
  return clone;
}

describe('uncloneable values', () => {
  it("arguments: DataCloneError 'argument' on the caller, the handler never runs", async () => {
    const c = connect();
    for (const [what, make] of UNCLONEABLE) {
      const error = await dataCloneError(c.near.remote.echo(make()), 'echo', 'argument');
      expect((error.cause as Error | undefined)?.name, `${what}: the platform's error is the cause`).toBe('DataCloneError');
    }
    expect(c.far.runs.echo).toBeUndefined();
    // Calls batched with the uncloneable one in the same turn still go through.
    const [before, bad, after] = await Promise.allSettled([c.near.remote.add(1, 2), c.near.remote.echo(fn), c.near.remote.add(3, 4)]);
    expect([before, after]).toEqual([
      { status: 'fulfilled', value: 3 },
      { status: 'fulfilled', value: 7 },
    ]);
    expect(bad.status === 'rejected' && bad.reason instanceof DataCloneError).toBe(true);
    await c.stillWorks();
    expect([c.nearErrors, c.farErrors]).toEqual([[], []]);
  });

  it("results: DataCloneError 'result' on the caller", async () => {
    const c = connect();
    for (let which = 0; which < UNCLONEABLE.length; which++) await dataCloneError(c.near.remote.result(which), 'result', 'result');
    await c.stillWorks();
    expect(c.nearErrors).toEqual([]);
  });

  it("stream items (download): the items before it, then DataCloneError 'item' on the reader; the producer stops", async () => {
    const c = connect();
    for (let which = 0; which < UNCLONEABLE.length; which++) {
      const seen: unknown[] = [];
      const reading = (async () => {
        for await (const item of c.near.remote.items(which)) seen.push(item);
      })();
      await dataCloneError(reading, 'items', 'item');
      expect(seen, UNCLONEABLE[which]![0]).toEqual([0, 1]);
    }
    expect(await waitFor(() => c.far.finallyRan.length === UNCLONEABLE.length, 2000), 'producers ran their finally').toBe(true);
    await c.stillWorks();
    expect(c.nearErrors).toEqual([]);
  });

  it("stream items (upload): the uploading caller gets DataCloneError 'item' for its call", async () => {
    const c = connect();
    let stopped = false;
    async function* upload() {
      try {
        yield 1;
        yield 2;
        yield fn as unknown as number;
        yield 4;
      } finally {
        stopped = true;
      }
    }
    await dataCloneError(c.near.remote.sum(upload()), 'sum', 'item');
    expect(stopped, 'the upload generator was stopped').toBe(true);
    await c.stillWorks();
  });

  it("thrown errors: DataCloneError 'error' on the caller", async () => {
    const c = connect();
    for (const method of ['throwFunctionProperty', 'throwSymbol', 'throwFunction', 'throwFunctionCause'] as const) {
      await dataCloneError(c.near.remote[method](), method, 'error');
    }
    await c.stillWorks();
  });

  it("a stream failing with an uncloneable error: the items before it, then DataCloneError 'error'", async () => {
    const c = connect();
    const seen: unknown[] = [];
    const reading = (async () => {
      for await (const item of c.near.remote.failsUncloneably()) seen.push(item);
    })();
    await dataCloneError(reading, 'failsUncloneably', 'error');
    expect(seen).toEqual([0, 1]);
    await c.stillWorks();
  });

  it("notifications: DataCloneError 'notification' goes to the sender's onError; nothing reaches the other side", async () => {
    const c = connect();
    for (const [, make] of UNCLONEABLE) c.near.remote.$notify('note', make() as never);
    c.near.remote.$notify('note', 'cloneable');
    expect(await c.near.remote.add(0, 0)).toBe(0);
    expect(c.nearErrors).toHaveLength(UNCLONEABLE.length);
    for (const error of c.nearErrors) {
      expect(error).toBeInstanceOf(DataCloneError);
      expect([(error as DataCloneError).method, (error as DataCloneError).where, (error as DataCloneError).rpcCode]).toEqual([
        'note',
        'notification',
        -32602,
      ]);
    }
    expect(c.far.runs.note, 'only the cloneable notification ran').toBe(1);
    expect(c.farErrors).toEqual([]);
    await c.stillWorks();
  });

  describe('class instances clone, as plain objects', () => {
    it('as an argument: own fields arrive, the prototype and its methods do not', async () => {
      const c = connect();
      expect(await c.near.remote.inspect(new Point(3, 4))).toEqual({ isPlainObject: true, keys: ['x', 'y'], method: 'undefined' });
    });

    it('as a result and as a stream item: the same; private fields and getters are dropped', async () => {
      const c = connect();
      const point = await c.near.remote.point();
      expect([Object.getPrototypeOf(point) === Object.prototype, point, 'norm' in point]).toEqual([true, { x: 3, y: 4 }, false]);
      const guarded = await c.near.remote.guarded();
      expect([Object.getPrototypeOf(guarded) === Object.prototype, guarded]).toEqual([true, { visible: 'own field' }]);
      const items: unknown[] = [];
      for await (const item of c.near.remote.points()) items.push(item);
      // Checked after the loop, with the count: an empty stream must not pass for want of items.
      expect(items.map((item) => [item, Object.getPrototypeOf(item) === Object.prototype])).toEqual([[{ x: 1, y: 2 }, true]]);
      await c.stillWorks();
    });

    it('as a thrown error: a RemoteError with its name, message and own data; its methods stay behind', async () => {
      const c = connect();
      const error = await c.near.remote.throwAppError().then(
        () => undefined,
        (e: unknown) => e as RemoteError,
      );
      expect(error).toBeInstanceOf(RemoteError);
      expect([error!.remoteName, error!.message, error!.data, 'describe' in error!]).toEqual(['AppError', 'teapot', { status: 418 }, false]);
    });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { context, isPortwireError, type CallContext } from '../../src/index';
import { closeAll, deferred, pair, rejection, sleep } from './helpers';

afterEach(closeAll);

class Base {
  greet(name: string) {
    return `hello ${name} from ${this.kind()}`;
  }
  kind() {
    return 'base';
  }
}

class Account extends Base {
  #balance = 0;
  owner = 'ada';
  deposit(amount: number) {
    this.#balance += amount;
    return this.#balance;
  }
  override kind() {
    return 'account';
  }
  /** A class field holding an arrow function is an own enumerable property. */
  label = () => `account of ${this.owner}`;
}

function api() {
  const gates = new Map<string, ReturnType<typeof deferred<string>>>();
  return {
    add: (a: number, b: number) => a + b,
    async addLater(a: number, b: number) {
      await sleep(1);
      return a + b;
    },
    echo: <T>(value: T): T => value,
    nothing(): void {},
    argCount: (...args: unknown[]) => args.length,
    /** Answers when the test opens its gate, so answers can come back out of order. */
    gated(key: string) {
      const gate = deferred<string>();
      gates.set(key, gate);
      return gate.promise;
    },
    open: (key: string, value: string) => gates.get(key)!.resolve(value),
    settings: {
      theme: 'dark',
      read() {
        return this.theme;
      },
      nested: { deeper: { value: () => 'three levels down' } },
    },
    account: new Account(),
    whoCalled() {
      const ctx = context();
      return { method: ctx.method, args: ctx.args };
    },
    async contextAfterAwait() {
      await sleep(1);
      try {
        context();
        return 'available';
      } catch (error) {
        return isPortwireError(error) ? error.code : 'other error';
      }
    },
    async contextKept() {
      const ctx = context();
      await sleep(1);
      return ctx.method;
    },
    /** Asks the caller to compute, `depth` levels of ping-pong deep. */
    async bounce(depth: number): Promise<number> {
      const { remote } = context<{ bounce(depth: number): Promise<number> }>();
      return depth === 0 ? 0 : 1 + (await remote.bounce(depth - 1));
    },
  };
}

describe('request/response', () => {
  it('answers with the handler result, sync or async', async () => {
    const { remote } = pair(api());
    expect(await remote.add(2, 3)).toBe(5);
    expect(await remote.addLater(20, 22)).toBe(42);
    expect(await remote.nothing()).toBeUndefined();
  });

  it('carries structured-cloneable values both ways', async () => {
    const { remote } = pair(api());
    const value = {
      date: new Date(0),
      map: new Map([['k', new Set([1, 2])]]),
      big: 2n ** 70n,
      bytes: new Uint8Array([1, 2, 3]),
      nested: [null, undefined, { deep: ['x'] }],
      regexp: /a+b/gi,
    };
    expect(await remote.echo(value)).toEqual(value);
  });

  it('passes every argument, including trailing undefined ones', async () => {
    const { remote } = pair(api());
    expect(await remote.argCount()).toBe(0);
    expect(await remote.argCount(1, undefined, undefined)).toBe(3);
  });

  it('matches answers to their calls when they come back out of order', async () => {
    const { remote } = pair(api());
    const first = remote.gated('first');
    const second = remote.gated('second');
    await sleep(10);
    await remote.open('second', 'two');
    await remote.open('first', 'one');
    expect(await Promise.all([first, second])).toEqual(['one', 'two']);
  });

  it('answers thousands of concurrent calls with their own results', async () => {
    const { remote, near, far } = pair(api());
    const results = await Promise.all(Array.from({ length: 5000 }, (_, i) => remote.add(i, 1)));
    expect(results.every((value, i) => value === i + 1)).toBe(true);
    expect(near.stats).toMatchObject({ pending: 0, queued: 0 });
    expect(far.stats).toMatchObject({ incoming: 0, queued: 0 });
  });

  it('calls methods of namespaces, with the namespace as `this`', async () => {
    const { remote } = pair(api());
    expect(await remote.settings.read()).toBe('dark');
    expect(await remote.settings.nested.deeper.value()).toBe('three levels down');
  });

  it('calls class methods (own and inherited) with the instance as `this`', async () => {
    const { remote } = pair(api());
    expect(await remote.account.deposit(10)).toBe(10);
    expect(await remote.account.deposit(5)).toBe(15);
    expect(await remote.account.greet('bob')).toBe('hello bob from account');
    expect(await remote.account.label()).toBe('account of ada');
  });

  it('gives the handler its context: method name and arguments', async () => {
    const { remote } = pair(api());
    expect(await remote.whoCalled()).toEqual({ method: 'whoCalled', args: [] });
    expect(await remote.$call('whoCalled', [])).toEqual({ method: 'whoCalled', args: [] });
  });

  it('context() works before the first await, and the object it returns stays usable after', async () => {
    const { remote } = pair(api());
    expect(await remote.contextKept()).toBe('contextKept');
    expect(await remote.contextAfterAwait()).toBe('NO_CONTEXT');
  });

  it('context() outside a handler throws NO_CONTEXT', () => {
    expect(() => context()).toThrow(expect.objectContaining({ code: 'NO_CONTEXT' }));
  });

  it('a handler calls the caller back while the call is pending, nested several levels', async () => {
    const handlers = api();
    const { remote } = pair(handlers, { near: { handlers } });
    expect(await remote.bounce(6)).toBe(6);
  });

  it('both sides call each other at the same time', async () => {
    const { near, far } = pair(api(), { near: { handlers: { sub: (a: number, b: number) => a - b } } });
    const [sum, diff] = await Promise.all([near.remote.add(1, 2), far.remote.sub(5, 3)]);
    expect([sum, diff]).toEqual([3, 2]);
  });

  it('awaiting the proxy or a namespace calls nothing on the other side', async () => {
    const seen: string[] = [];
    const record = (ctx: CallContext, next: () => unknown) => {
      seen.push(ctx.method);
      return next();
    };
    const { remote } = pair(api(), { far: { middleware: [record] } });
    expect((remote as unknown as { then?: unknown }).then).toBeUndefined();
    expect(await remote.settings).toBe(remote.settings);
    await remote.add(1, 1);
    expect(seen).toEqual(['add']);
  });

  it('a call to a side without handlers fails with MethodNotFoundError', async () => {
    const { far } = pair(api());
    const error = await rejection(far.remote.$call('add' as never, [1, 2] as never));
    expect(error.name).toBe('MethodNotFoundError');
  });
});

describe('endpoints', () => {
  it('an object that is not a message endpoint is refused with a clear error', async () => {
    const { createPeer: create } = await import('../../src/index');
    const { Worker } = await import('node:worker_threads');
    expect(() => create({} as never)).toThrow(/postMessage\(\) and addEventListener\(\)/);
    // A worker_threads Worker is an EventEmitter, not an EventTarget: the error points to portwire/node.
    const thread = new Worker('setInterval(() => {}, 1000)', { eval: true });
    try {
      expect(() => create(thread as never)).toThrow(/portwire\/node/);
    } finally {
      await thread.terminate();
    }
  });
});

describe('arguments that throw', () => {
  it('an argument whose iterator throws rejects the call with that error, and nothing stays pending', async () => {
    const { remote, near } = pair({ sum: async (values: AsyncIterable<number>) => values && 0 });
    const hostile = { [Symbol.asyncIterator]: () => { throw new Error('no iterator'); } };
    await expect(remote.sum(hostile as never)).rejects.toThrow('no iterator');
    expect(near.stats).toMatchObject({ pending: 0, outboxes: 0 });
    expect(await remote.$call('sum', [(async function* () {})()])).toBe(0);
  });
});

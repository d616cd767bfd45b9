import { afterEach, describe, expect, it } from 'vitest';
import { MethodNotFoundError } from '../../src/index';
import { closeAll, pair, rejection } from './helpers';

afterEach(closeAll);

/** Calls `method` by name, bypassing the types, and tells whether it was found. */
async function reach(remote: { $call(method: never, args: never): Promise<unknown> }, method: string): Promise<'called' | 'not found'> {
  try {
    await remote.$call(method as never, [] as never);
    return 'called';
  } catch (error) {
    if (error instanceof MethodNotFoundError) return 'not found';
    return 'called'; // it ran and threw: still reachable
  }
}

class Base {
  inherited() {
    return 'base method';
  }
}

class Service extends Base {
  static create() {
    return new Service();
  }
  getterRuns = 0;
  #secret() {
    return 'private';
  }
  method() {
    return this.#secret().length;
  }
  get computed() {
    this.getterRuns++;
    return () => 'from a getter';
  }
}

describe('allowlist: what a remote may call', () => {
  it('own enumerable functions are callable; non-enumerable ones are not', async () => {
    const handlers = { visible: () => 'yes' };
    Object.defineProperty(handlers, 'hidden', { value: () => 'no', enumerable: false });
    const { remote } = pair(handlers);
    expect(await reach(remote, 'visible')).toBe('called');
    expect(await reach(remote, 'hidden')).toBe('not found');
  });

  it('data properties are not callable', async () => {
    const { remote } = pair({ version: '1.0', count: 3, nothing: null, ok: () => 1 });
    for (const name of ['version', 'count', 'nothing']) expect(await reach(remote, name)).toBe('not found');
  });

  it('nothing from Object.prototype is callable, at the top or in a namespace', async () => {
    const { remote } = pair({ ok: () => 1, ns: { ok: () => 2 } });
    const inherited = [
      '__proto__',
      'constructor',
      'toString',
      'toLocaleString',
      'valueOf',
      'hasOwnProperty',
      'isPrototypeOf',
      'propertyIsEnumerable',
      '__defineGetter__',
      '__defineSetter__',
      '__lookupGetter__',
      '__lookupSetter__',
    ];
    for (const name of inherited) {
      expect(await reach(remote, name), name).toBe('not found');
      expect(await reach(remote, `ns.${name}`), `ns.${name}`).toBe('not found');
    }
    expect(await reach(remote, '__proto__.constructor')).toBe('not found');
  });

  it('namespaces nest; malformed paths are not found', async () => {
    const { remote } = pair({ a: { b: { c: () => 'deep' } } });
    expect(await remote.a.b.c()).toBe('deep');
    for (const path of ['a', 'a.b', 'a..b.c', 'a.b.c.', '.a.b.c', '', 'a.b.c.d', 'a.prototype']) {
      expect(await reach(remote, path), JSON.stringify(path)).toBe('not found');
    }
  });

  it("a function's own properties and Function.prototype are not reachable through it", async () => {
    const fn = Object.assign(() => 'fn', { extra: () => 'extra' });
    const { remote } = pair({ fn });
    expect(await remote.fn()).toBe('fn');
    for (const path of ['fn.extra', 'fn.call', 'fn.apply', 'fn.bind', 'fn.toString', 'fn.constructor']) {
      expect(await reach(remote, path), path).toBe('not found');
    }
  });

  it('class instances: own and inherited methods are callable; constructor, statics and privates are not', async () => {
    const { remote } = pair({ service: new Service() });
    expect(await remote.service.method()).toBe('private'.length);
    expect(await remote.service.inherited()).toBe('base method');
    for (const path of ['service.constructor', 'service.create', 'service.#secret', 'service.getterRuns']) {
      expect(await reach(remote, path), path).toBe('not found');
    }
  });

  it('getters on a class are never invoked by a call', async () => {
    const service = new Service();
    const { remote } = pair({ service });
    expect(await reach(remote, 'service.computed')).toBe('not found');
    expect(service.getterRuns).toBe(0);
  });

  it('own getters on a handler object are never invoked by a call either', async () => {
    let runs = 0;
    const handlers = {
      get lazy() {
        runs++;
        return () => 'from a getter';
      },
      ns: {
        get inner() {
          runs++;
          return { fn: () => 'behind a getter' };
        },
      },
    };
    const { remote } = pair(handlers);
    expect(await reach(remote, 'lazy')).toBe('not found');
    expect(await reach(remote, 'ns.inner.fn')).toBe('not found');
    expect(runs).toBe(0);
  });

  it('a prototype-less handler object works', async () => {
    const handlers = Object.assign(Object.create(null) as object, { ping: () => 'pong' });
    const { remote } = pair(handlers as { ping(): string });
    expect(await remote.ping()).toBe('pong');
    expect(await reach(remote, 'toString')).toBe('not found');
  });

  it("state kept on the handler object is not callable through its built-in methods", async () => {
    const items = ['keep me'];
    const cache = new Map([['key', 'value']]);
    const { remote } = pair({ items, cache, list: () => [...items] });
    for (const path of ['items.push', 'items.splice', 'items.fill', 'cache.clear', 'cache.set', 'cache.delete']) {
      expect(await reach(remote, path), path).toBe('not found');
    }
    expect(items).toEqual(['keep me']);
    expect(cache.size).toBe(1);
  });

  it('an unknown name is reported as MethodNotFoundError, not as a crash of the far side', async () => {
    const { remote } = pair({ ok: () => 'ok' });
    const error = await rejection(remote.$call('constructor' as never, [] as never));
    expect(error).toBeInstanceOf(MethodNotFoundError);
    expect(await remote.ok()).toBe('ok');
  });
});

import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, pair, recordPosts, sleep } from './helpers';

afterEach(closeAll);

const api = {
  add: (a: number, b: number) => a + b,
  math: { mul: (a: number, b: number) => a * b, call: () => 'math.call ran', bind: () => 'math.bind ran' },
  toJSON: () => 'toJSON ran',
  call: () => 'call ran',
};

/**
 * A connected pair whose near side records every post, with a count of unhandled rejections.
 * `sent()` is what the near side posted after the handshake settled.
 */
async function watched() {
  const p = pair(api);
  await p.remote.add(0, 0);
  await sleep(5);
  const posts = recordPosts(p.port1);
  let unhandled = 0;
  const onUnhandled = () => unhandled++;
  process.on('unhandledRejection', onUnhandled);
  const settle = async () => {
    await sleep(20);
    process.off('unhandledRejection', onUnhandled);
    return { posts: posts.length, unhandled };
  };
  return { ...p, remote: p.remote as any, settle };
}

describe('the proxy under introspection sends nothing', () => {
  it('JSON.stringify, String(), template literals, valueOf and toString on the proxy and its methods', async () => {
    const { remote, settle } = await watched();
    expect(JSON.stringify(remote)).toBe('{}');
    expect(JSON.stringify({ remote })).toBe('{"remote":{}}');
    expect(String(remote)).toBe('[object Object]');
    expect(`${remote}`).toBe('[object Object]');
    expect(remote + '').toBe('[object Object]');
    expect(remote.valueOf()).toBe(remote);
    expect(typeof remote.add.toString()).toBe('string');
    expect(typeof `${remote.math}`).toBe('string');
    expect(JSON.stringify(remote.add)).toBeUndefined();
    expect(JSON.stringify({ f: remote.math.mul })).toBe('{}');
    expect(await settle()).toEqual({ posts: 0, unhandled: 0 });
  });

  it('util.inspect and console.log-style formatting', async () => {
    const { remote, settle } = await watched();
    expect(typeof inspect(remote)).toBe('string');
    expect(typeof inspect(remote.add)).toBe('string');
    expect(typeof inspect({ nested: { remote } }, { depth: 5, showHidden: true })).toBe('string');
    expect(await settle()).toEqual({ posts: 0, unhandled: 0 });
  });

  it('Object.prototype names, well-known symbols and framework-style probes are not remote methods', async () => {
    const { remote, settle } = await watched();
    for (const name of Object.getOwnPropertyNames(Object.prototype)) {
      expect(remote[name], name).toBe(Reflect.get({}, name));
    }
    expect(remote.hasOwnProperty('add')).toBe(false);
    expect(remote.then).toBeUndefined();
    expect(remote.math.then).toBeUndefined();
    expect(remote.toJSON).toBeUndefined();
    expect(remote[Symbol.toPrimitive]).toBeUndefined();
    expect(remote[Symbol.iterator]).toBeUndefined();
    expect(remote[Symbol.asyncIterator]).toBeUndefined();
    expect(remote[Symbol.toStringTag]).toBeUndefined();
    expect(Object.keys(remote)).toEqual([]);
    expect('add' in remote).toBe(false);
    // A marker probe reads a property and compares it: a function is never `true`, and reading
    // it sends nothing.
    expect(remote.__v_isRef === true).toBe(false);
    expect(remote.$$typeof === Symbol.for('react.element')).toBe(false);
    expect(await Promise.resolve(remote)).toBe(remote);
    expect(await settle()).toEqual({ posts: 0, unhandled: 0 });
  });

  it('structuredClone of the proxy throws DataCloneError and sends nothing', async () => {
    const { remote, settle } = await watched();
    expect(() => structuredClone(remote)).toThrow(expect.objectContaining({ name: 'DataCloneError' }));
    expect(await settle()).toEqual({ posts: 0, unhandled: 0 });
  });
});

describe('a remote method behaves as a function', () => {
  it('call, apply and bind call the method itself', async () => {
    const { remote } = await watched();
    expect(await remote.add.apply(null, [1, 2])).toBe(3);
    expect(await remote.add.call(null, 2, 3)).toBe(5);
    expect(await remote.add.bind(null, 4)(5)).toBe(9);
    expect(await remote.math.mul.apply(undefined, [3, 4])).toBe(12);
    expect(await Reflect.apply(remote.add, null, [6, 7])).toBe(13);
  });

  it('works where a wrapper calls fn.apply(this, args), as debounce and throttle do', async () => {
    const { remote } = await watched();
    const wrap =
      <F extends (...args: any[]) => any>(fn: F) =>
      function (this: unknown, ...args: Parameters<F>): ReturnType<F> {
        return fn.apply(this, args);
      };
    expect(await wrap(remote.add)(20, 22)).toBe(42);
  });

  it('every real method name stays reachable with $call: toJSON, a namespace method named call or bind', async () => {
    const { remote } = await watched();
    expect(await remote.$call('toJSON', [])).toBe('toJSON ran');
    expect(await remote.$call('math.call', [])).toBe('math.call ran');
    expect(await remote.$call('math.bind', [])).toBe('math.bind ran');
    // On the root, which is a plain object, `call` is an ordinary method name.
    expect(await remote.call()).toBe('call ran');
  });
});

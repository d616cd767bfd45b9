import { afterEach, describe, expect, it } from 'vitest';
import { context, MethodNotFoundError, RemoteError, type Middleware } from '../../src/index';
import { closeAll, collect, eventually, pair, rejection, sleep } from './helpers';

afterEach(closeAll);

function api() {
  const ran: string[] = [];
  return {
    ran,
    handlers: {
      add(a: number, b: number) {
        ran.push('add');
        return a + b;
      },
      note(value: string) {
        ran.push(`note:${value}`);
      },
      whoAmI: () => context().method,
      async *count(n: number) {
        for (let i = 0; i < n; i++) yield i;
      },
      /** Fails the first time it is called, then works. */
      flaky: (() => {
        let calls = 0;
        return () => {
          ran.push('flaky');
          if (++calls === 1) throw new Error('first call fails');
          return 'second call works';
        };
      })(),
      secret() {
        ran.push('secret');
        return 'the secret';
      },
    },
  };
}

/** A middleware that records when it runs around the rest of the chain. */
const trace =
  (name: string, log: string[]): Middleware =>
  async (ctx, next) => {
    log.push(`${name}>${ctx.method}`);
    try {
      return await next();
    } finally {
      log.push(`<${name}`);
    }
  };

describe('middleware', () => {
  it('wraps every call, first one outermost', async () => {
    const { handlers, ran } = api();
    const log: string[] = [];
    const { remote } = pair(handlers, { far: { middleware: [trace('outer', log), trace('inner', log)] } });
    expect(await remote.add(1, 2)).toBe(3);
    expect(log).toEqual(['outer>add', 'inner>add', '<inner', '<outer']);
    expect(ran).toEqual(['add']);
  });

  it('runs only on the answering side', async () => {
    const { handlers } = api();
    const nearLog: string[] = [];
    const { remote } = pair(handlers, { near: { middleware: [trace('near', nearLog)] } });
    await remote.add(1, 1);
    expect(nearLog).toEqual([]);
  });

  it('may replace the arguments the handler gets', async () => {
    const { handlers } = api();
    const double: Middleware = (ctx, next) => {
      ctx.args = ctx.args.map((arg) => (arg as number) * 2);
      return next();
    };
    const { remote } = pair(handlers, { far: { middleware: [double] } });
    expect(await remote.add(1, 2)).toBe(6);
  });

  it('may change the result', async () => {
    const { handlers } = api();
    const wrap: Middleware = async (_, next) => ({ wrapped: await next() });
    const { remote } = pair(handlers, { far: { middleware: [wrap] } });
    expect(await remote.add(1, 2)).toEqual({ wrapped: 3 });
  });

  it('may answer without calling next(): the handler does not run', async () => {
    const { handlers, ran } = api();
    const cached: Middleware = (ctx, next) => (ctx.method === 'add' ? 'from cache' : next());
    const { remote } = pair(handlers, { far: { middleware: [cached] } });
    expect(await remote.add(1, 2)).toBe('from cache');
    expect(ran).toEqual([]);
  });

  it('may refuse by throwing: the caller gets a RemoteError and the handler does not run', async () => {
    const { handlers, ran } = api();
    const guard: Middleware = (ctx, next) => {
      if (ctx.method === 'secret') throw Object.assign(new Error('forbidden'), { code: 'E_FORBIDDEN' });
      return next();
    };
    const { remote } = pair(handlers, { far: { middleware: [guard] } });
    const error: RemoteError = await rejection(remote.secret());
    expect(error).toBeInstanceOf(RemoteError);
    expect([error.message, error.remoteCode]).toEqual(['forbidden', 'E_FORBIDDEN']);
    expect(await remote.add(1, 1)).toBe(2);
    expect(ran, 'handlers that ran: the refused one must not').toEqual(['add']);
  });

  it('sees MethodNotFoundError from next() for unknown methods, and may answer instead', async () => {
    const { handlers } = api();
    const fallback: Middleware = (ctx, next) => {
      try {
        return next();
      } catch (error) {
        if (error instanceof MethodNotFoundError) return `no ${ctx.method} here`;
        throw error;
      }
    };
    const { remote } = pair(handlers, { far: { middleware: [fallback] } });
    expect(await remote.$call('missing' as never, [] as never)).toBe('no missing here');
  });

  it('runs for notifications too', async () => {
    const { handlers, ran } = api();
    const log: string[] = [];
    const { remote } = pair(handlers, { far: { middleware: [trace('mw', log)] } });
    remote.$notify('note', 'hi');
    await eventually(() => log.length === 2);
    expect(log).toEqual(['mw>note', '<mw']);
    expect(ran).toEqual(['note:hi']);
  });

  it('the handler still has its context when an async middleware calls next() later', async () => {
    const { handlers } = api();
    const slow: Middleware = async (_, next) => {
      await sleep(5);
      return next();
    };
    const { remote } = pair(handlers, { far: { middleware: [slow] } });
    expect(await remote.whoAmI()).toBe('whoAmI');
  });

  it('context() inside a middleware is the call being handled', async () => {
    const { handlers } = api();
    const seen: string[] = [];
    const peek: Middleware = (_, next) => {
      seen.push(context().method);
      return next();
    };
    const { remote } = pair(handlers, { far: { middleware: [peek] } });
    await remote.add(1, 2);
    expect(seen).toEqual(['add']);
  });

  it('may wrap a stream the handler returns', async () => {
    const { handlers } = api();
    const tenfold: Middleware = async (_, next) => {
      const source = (await next()) as AsyncIterable<number>;
      return (async function* () {
        for await (const value of source) yield value * 10;
      })();
    };
    const { remote } = pair(handlers, { far: { middleware: [tenfold] } });
    expect(await collect(remote.count(3))).toEqual([0, 10, 20]);
  });

  it('a retrying middleware that calls next() again runs the rest of the chain again', async () => {
    const { handlers, ran } = api();
    const log: string[] = [];
    const retry: Middleware = async (_, next) => {
      try {
        return await next();
      } catch {
        return next();
      }
    };
    const audit: Middleware = (ctx, next) => {
      log.push(`audit ${ctx.method}`);
      return next();
    };
    const { remote } = pair(handlers, { far: { middleware: [retry, audit] } });
    expect(await remote.flaky()).toBe('second call works');
    expect(ran).toEqual(['flaky', 'flaky']);
    expect(log).toEqual(['audit flaky', 'audit flaky']);
  });
});

import { describe, expect, it } from 'vitest';
import { context } from '../../src/index';
import { freshName, join, members, sleep, until } from './support';

function recorder() {
  const seen: Array<[string | undefined, unknown]> = [];
  return { seen, handlers: { note: (value: unknown) => void seen.push([context().caller, value]) } };
}

describe('notify', () => {
  it('reaches every other member, in order, with the sender as caller; never the sender itself', async () => {
    const name = freshName();
    const [ra, rb, rc] = [recorder(), recorder(), recorder()];
    const a = join(name, { handlers: ra.handlers });
    const b = join(name, { handlers: rb.handlers });
    const c = join(name, { handlers: rc.handlers });
    await until(() => [a, b, c].every((g) => g.peers.length === 2));
    for (let i = 0; i < 5; i++) a.notify('note', i);
    await until(() => rb.seen.length === 5 && rc.seen.length === 5);
    const expected = [0, 1, 2, 3, 4].map((i) => [a.id, i]);
    expect(rb.seen).toEqual(expected);
    expect(rc.seen).toEqual(expected);
    await sleep(30);
    expect(ra.seen, 'the sender never hears its own notify').toEqual([]);
  });

  it('two groups of the same name in one thread hear each other', async () => {
    const name = freshName();
    const [r1, r2] = [recorder(), recorder()];
    const one = join(name, { handlers: r1.handlers });
    const two = join(name, { handlers: r2.handlers });
    await until(() => one.peers.length === 1 && two.peers.length === 1);
    one.notify('note', 'from one');
    two.notify('note', 'from two');
    await until(() => r1.seen.length === 1 && r2.seen.length === 1);
    expect(r2.seen).toEqual([[one.id, 'from one']]);
    expect(r1.seen).toEqual([[two.id, 'from two']]);
  });

  it("a notification handler's error goes to the receiver's onError; peer(id).$notify reaches one member", async () => {
    const name = freshName();
    const errors: unknown[] = [];
    const rc = recorder();
    const a = join(name, { handlers: { note: () => { throw new Error('handler failed'); } }, onError: (e) => errors.push(e) });
    const b = join(name);
    const c = join(name, { handlers: rc.handlers });
    await until(() => [a, b, c].every((g) => g.peers.length === 2));
    b.notify('note', 1);
    b.peer(c.id).$notify('note', 'only c');
    await until(() => errors.length === 1 && rc.seen.length === 2);
    expect((errors[0] as Error).message).toBe('handler failed');
    expect(rc.seen).toEqual([
      [b.id, 1],
      [b.id, 'only c'],
    ]);
  });

  it('with nobody else in the group, notify sends nothing and throws nothing', () => {
    const alone = join(freshName());
    expect(() => alone.notify('note', 1)).not.toThrow();
  });

  it('middleware sees ctx.caller already set, and runs around notifications and calls', async () => {
    const name = freshName();
    const callers: Array<string | undefined> = [];
    const a = join(name, {
      handlers: { note: () => {}, ask: () => 'answer' },
      middleware: [
        (ctx, next) => {
          callers.push(ctx.caller);
          return next();
        },
      ],
    });
    const b = join(name);
    await until(() => a.peers.length === 1 && b.peers.length === 1);
    b.notify('note');
    expect(await b.peer(a.id).ask()).toBe('answer');
    expect(callers).toEqual([b.id, b.id]);
  });
});

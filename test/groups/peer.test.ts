import { describe, expect, it } from 'vitest';
import { context, type Remote } from '../../src/index';
import { freshName, join, members, sleep, until } from './support';

function memberApi() {
  const state = { aborted: [] as string[], finallyRan: [] as string[] };
  const api = {
    add: (a: number, b: number) => a + b,
    caller: () => context().caller,
    /** Calls the caller back through the context. */
    async askBack(question: string) {
      const { remote } = context<Remote<{ answer(q: string): string }>>();
      return `back:${await remote.answer(question)}`;
    },
    answer: (q: string) => `answer to ${q}`,
    hang(key: string) {
      const { signal } = context();
      return new Promise((_, reject) => {
        signal.addEventListener('abort', () => {
          state.aborted.push(key);
          reject(signal.reason);
        });
      });
    },
    async *count(to: number) {
      try {
        for (let i = 0; i < to; i++) yield i;
      } finally {
        state.finallyRan.push(`count:${to}`);
      }
    },
    async sum(values: AsyncIterable<number>) {
      let total = 0;
      for await (const value of values) total += value;
      return total;
    },
    state: () => state,
  };
  return { api, state };
}
type Api = ReturnType<typeof memberApi>['api'];

describe('peer(id)', () => {
  it('calls one member, typed; context().caller is the caller and context().remote calls it back', async () => {
    const name = freshName();
    const a = join<Api>(name, { handlers: memberApi().api });
    const b = join<Api>(name, { handlers: memberApi().api });
    await until(() => a.peers.length === 1 && b.peers.length === 1);
    expect(await a.peer(b.id).add(2, 3)).toBe(5);
    expect(await a.peer(b.id).caller()).toBe(a.id);
    expect(await a.peer(b.id).askBack('x')).toBe('back:answer to x');
    expect(await a.peer(b.id).$call('add', [1, 1], { timeout: 1000 })).toBe(2);
    expect(a.peer(b.id), 'the same proxy while it is a member').toBe(a.peer(b.id));
  });

  it('streams from one member and uploads to it; break runs the producer’s finally', async () => {
    const name = freshName();
    const far = memberApi();
    const a = join<Api>(name);
    const b = join<Api>(name, { handlers: far.api, window: 4 });
    await until(() => a.peers.length === 1 && b.peers.length === 1);
    const seen: number[] = [];
    for await (const value of a.peer(b.id).count(500)) seen.push(value);
    expect(seen).toEqual(Array.from({ length: 500 }, (_, i) => i));
    for await (const value of a.peer(b.id).count(1_000_000)) if (value === 10) break;
    await until(() => far.state.finallyRan.includes('count:1000000'), 3000, 'finally');
    async function* up() {
      for (let i = 1; i <= 100; i++) yield i;
    }
    expect(await a.peer(b.id).sum(up())).toBe(5050);
  });

  it('abort and timeout reject at the caller and fire the handler’s signal', async () => {
    const far = memberApi();
    const [a, b] = await members<Api>(2, { handlers: far.api });
    const controller = new AbortController();
    const aborted = a!.peer(b!.id).$call('hang', ['a1'], { signal: controller.signal });
    await sleep(20);
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    await expect(a!.peer(b!.id).$call('hang', ['t1'], { timeout: 50 })).rejects.toMatchObject({ name: 'TimeoutError', timeout: 50 });
    await until(() => far.state.aborted.length === 2, 3000, 'both handlers aborted');
    expect(far.state.aborted.sort()).toEqual(['a1', 't1']);
  });

  it('an id that is not a member: calls reject with PeerClosedError, $notify throws it; once it joins, it answers', async () => {
    const name = freshName();
    const a = join<Api>(name);
    const stranger = a.peer('0123456789abcdef');
    await expect(stranger.add(1, 2)).rejects.toMatchObject({ name: 'PeerClosedError', message: expect.stringContaining('0123456789abcdef is not a member') });
    expect(() => stranger.$notify('add', 1, 2)).toThrow(/not a member/);
    expect(() => stranger.$terminate()).toThrow(expect.objectContaining({ code: 'NOT_TERMINABLE' }));
    const b = join<Api>(name, { handlers: memberApi().api });
    const early = a.peer(b.id);
    await until(() => a.peers.includes(b.id));
    expect(await early.add(1, 2)).toBe(3);
  });

  it('a member that leaves: its proxy rejects with PeerClosedError from then on', async () => {
    const [a, b] = await members<Api>(2, { handlers: memberApi().api });
    const remote = a!.peer(b!.id);
    expect(await remote.add(1, 1)).toBe(2);
    b!.close();
    await until(() => a!.peers.length === 0);
    await expect(remote.add(1, 1)).rejects.toMatchObject({ name: 'PeerClosedError' });
  });

  it("$close() closes the link with that member: pending calls reject, both see 'leave' with 'closed', the others stay", async () => {
    const [a, b, c] = await members<Api>(3, { handlers: memberApi().api, heartbeat: 20 });
    const left: string[] = [];
    a!.on('leave', (id, reason) => left.push(`a:${id === b!.id ? 'b' : id}:${reason}`));
    b!.on('leave', (id, reason) => left.push(`b:${id === a!.id ? 'a' : id}:${reason}`));
    const pending = a!.peer(b!.id).hang('x');
    await sleep(20);
    a!.peer(b!.id).$close();
    await expect(pending).rejects.toMatchObject({ name: 'PeerClosedError' });
    await until(() => left.length === 2);
    expect(left.sort()).toEqual(['a:b:closed', 'b:a:closed']);
    expect(a!.peers).toEqual([c!.id]);
    expect(b!.peers).toEqual([c!.id]);
    await expect(a!.peer(b!.id).add(1, 2)).rejects.toMatchObject({ name: 'PeerClosedError' });
    await sleep(150);
    expect(b!.peers, 'nor does it come back the other way').toEqual([c!.id]);
    expect(a!.peers, 'its heartbeats do not bring it back').toEqual([c!.id]);
    expect(await a!.peer(c!.id).add(1, 2)).toBe(3);
  });
});

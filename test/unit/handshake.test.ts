import { afterEach, describe, expect, it } from 'vitest';
import * as P from '../../src/core/protocol';
import { expose, PeerClosedError } from '../../src/index';
import { createPeer } from '../../src/node/index';
import type { UnitWorkerApi } from '../fixtures/unit.worker';
import { channel, closeAll, eventually, onCleanup, peer, recordPosts, rejection, sleep, worker } from './helpers';

afterEach(closeAll);

function api() {
  const seen: unknown[] = [];
  return {
    seen,
    handlers: {
      add: (a: number, b: number) => a + b,
      mark: (value: unknown) => {
        seen.push(value);
        return value;
      },
    },
  };
}

describe('handshake', () => {
  it('calls made before the other side exposes complete once it does', async () => {
    const { handlers } = api();
    const { port1, port2 } = channel();
    const near = peer<typeof handlers>(port1);
    const early = [near.remote.add(1, 2), near.remote.add(3, 4)];
    await sleep(50);
    const far = expose(handlers, port2);
    onCleanup(() => far.close());
    expect(await Promise.all(early)).toEqual([3, 7]);
  });

  it('queued calls and notifications keep their order', async () => {
    const { handlers, seen } = api();
    const { port1, port2 } = channel();
    const near = peer<typeof handlers>(port1);
    near.remote.$notify('mark', 1);
    const two = near.remote.mark(2);
    near.remote.$notify('mark', 3);
    await sleep(10);
    near.remote.$notify('mark', 4); // a later turn, still before the other side exists
    await sleep(20);
    peer(port2, { handlers });
    await two;
    await eventually(() => seen.length === 4);
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('nothing but the hello is posted before the other side answers, then the queue leaves in one message', async () => {
    const { handlers } = api();
    const { port1, port2 } = channel();
    const posts = recordPosts(port1);
    const near = peer<typeof handlers>(port1);
    const calls = Array.from({ length: 5 }, (_, i) => near.remote.add(i, i));
    await sleep(10);
    await sleep(10);
    expect(posts).toHaveLength(1); // the hello
    peer(port2, { handlers });
    expect(await Promise.all(calls)).toEqual([0, 2, 4, 6, 8]);
    const batches = posts.filter((post) => post.data.b.some((m: unknown[]) => m[0] === P.CALL));
    expect(batches).toHaveLength(1);
    expect(batches[0]!.data.b.filter((m: unknown[]) => m[0] === P.CALL)).toHaveLength(5);
  });

  it('both sides may call before either is ready', async () => {
    const { port1, port2 } = channel();
    type Named = { name(): string };
    const a = peer<Named>(port1, { handlers: { name: () => 'a' } });
    const fromA = a.remote.name();
    await sleep(10);
    const b = peer<Named>(port2, { handlers: { name: () => 'b' } });
    const fromB = b.remote.name();
    expect(await Promise.all([fromA, fromB])).toEqual(['b', 'a']);
  });

  it('the side that exposes first also gets its calls through to a later caller', async () => {
    const { port1, port2 } = channel();
    type Who = { who(): string };
    const first = peer<Who>(port2, { handlers: { who: () => 'first' } });
    const callBack = first.remote.who();
    await sleep(30);
    const second = peer<Who>(port1, { handlers: { who: () => 'second' } });
    expect(await Promise.all([callBack, second.remote.who()])).toEqual(['second', 'first']);
  });

  it('a peer closed while waiting for the handshake rejects what it queued', async () => {
    const { port1 } = channel();
    const near = peer<{ anything(): void }>(port1);
    const queued = near.remote.anything();
    await sleep(10);
    near.close();
    expect(await rejection(queued)).toBeInstanceOf(PeerClosedError);
  });

  it('a worker thread that exposes late still answers calls made at once', async () => {
    const thread = worker('unit.worker', { delay: 150 });
    const near = createPeer<UnitWorkerApi>(thread);
    onCleanup(() => near.close());
    const early = near.remote.add(40, 2);
    expect(await early).toBe(42);
  });
});

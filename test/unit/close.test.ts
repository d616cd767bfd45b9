import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, context, expose, PeerClosedError, PortwireError } from '../../src/index';
import { createPeer } from '../../src/node/index';
import type { UnitWorkerApi } from '../fixtures/unit.worker';
import { channel, closeAll, deferred, eventually, onCleanup, pair, peer, rejection, sleep, worker } from './helpers';

afterEach(closeAll);

function api() {
  const started: string[] = [];
  const aborted: Array<{ key: string; reason: unknown }> = [];
  const notes: unknown[] = [];
  const gate = deferred<string>();
  return {
    started,
    aborted,
    notes,
    gate,
    handlers: {
      add: (a: number, b: number) => a + b,
      note: (value: unknown) => void notes.push(value),
      /** Runs until aborted; records why it stopped. */
      work(key: string): Promise<never> {
        started.push(key);
        const { signal } = context();
        return new Promise((_, reject) => {
          signal.addEventListener('abort', () => {
            aborted.push({ key, reason: signal.reason });
            reject(signal.reason);
          });
        });
      },
      answerLater: () => gate.promise,
    },
  };
}

describe('close', () => {
  it('close() rejects pending calls with PeerClosedError, and later calls too', async () => {
    const { handlers, started } = api();
    const { remote, near } = pair(handlers);
    const pending = remote.work('p');
    await eventually(() => started.length === 1);
    near.close();
    const error = await rejection(pending);
    expect(error).toBeInstanceOf(PeerClosedError);
    expect(error).toBeInstanceOf(PortwireError);
    expect(error.code).toBe('PEER_CLOSED');
    expect(near.closed).toBe(true);
    expect(await rejection(remote.add(1, 2))).toBeInstanceOf(PeerClosedError);
    expect(() => remote.$notify('note', 1)).toThrow(PeerClosedError);
  });

  it('calls and notifications made after the close say why it closed', async () => {
    const { near, far, remote } = pair({ add: (a: number, b: number) => a + b });
    await remote.add(1, 1);
    far.close();
    await eventually(() => near.closed);
    const later = await rejection(remote.add(1, 2));
    expect(later).toBeInstanceOf(PeerClosedError);
    expect(later.message).toBe('portwire: the other side closed the peer');
    expect(() => remote.$notify('add', 1, 2)).toThrow('portwire: the other side closed the peer');
  });

  it('$close() on the proxy is the same as close(), and closing twice is harmless', async () => {
    const { handlers } = api();
    const { remote, near } = pair(handlers);
    const pending = remote.answerLater();
    remote.$close();
    remote.$close();
    near.close();
    expect(near.closed).toBe(true);
    expect(await rejection(pending)).toBeInstanceOf(PeerClosedError);
  });

  it('closing a peer that was never ready rejects its queued calls', async () => {
    const { port1 } = channel();
    const lonely = peer<{ anything(): void }>(port1);
    const queued = lonely.remote.anything();
    lonely.close();
    expect(await rejection(queued)).toBeInstanceOf(PeerClosedError);
  });

  it('the other side learns of it: it is closed, and its own pending calls reject', async () => {
    const { handlers } = api();
    const { near, far } = pair(handlers, { near: { handlers: { slow: () => new Promise(() => {}) } } });
    await near.remote.add(0, 0);
    const farPending = far.remote.slow();
    await sleep(10);
    near.close();
    expect(await rejection(farPending)).toBeInstanceOf(PeerClosedError);
    expect(far.closed).toBe(true);
    expect(await rejection(far.remote.slow())).toBeInstanceOf(PeerClosedError);
  });

  it("handlers still running on the other side see their signal abort with PeerClosedError", async () => {
    const { handlers, started, aborted } = api();
    const { remote, near } = pair(handlers);
    const pending = remote.work('running');
    await eventually(() => started.length === 1);
    near.close();
    await rejection(pending);
    await eventually(() => aborted.length === 1);
    expect(aborted[0]!.reason).toBeInstanceOf(PeerClosedError);
  });

  it('handlers running on the closing side see their signal abort too', async () => {
    const { handlers, started, aborted } = api();
    const { near, far } = pair(handlers);
    const pending = near.remote.work('mine');
    await eventually(() => started.length === 1);
    far.close();
    expect(await rejection(pending)).toBeInstanceOf(PeerClosedError);
    expect(aborted).toHaveLength(1);
    expect(aborted[0]!.reason).toBeInstanceOf(PeerClosedError);
  });

  it('messages queued in the same turn as close() are still delivered first', async () => {
    const { handlers, notes } = api();
    const { remote, far } = pair(handlers);
    await remote.add(0, 0);
    remote.$notify('note', 'last words');
    remote.$close();
    await eventually(() => far.closed);
    expect(notes).toEqual(['last words']);
  });

  it("expose()'s handle closes that side: the connecting side's pending calls reject", async () => {
    const { handlers, started } = api();
    const { port1, port2 } = channel();
    const exposed = expose(handlers, port2);
    const remote = connect<typeof handlers>(port1);
    onCleanup(() => remote.$close());
    const pending = remote.work('x');
    await eventually(() => started.length === 1);
    exposed.close();
    expect(await rejection(pending)).toBeInstanceOf(PeerClosedError);
    expect(await rejection(remote.add(1, 1))).toBeInstanceOf(PeerClosedError);
  });

  it('a closed peer stops listening: new peers on the same ports work', async () => {
    const { handlers } = api();
    const { port1, port2 } = channel();
    const first = peer<typeof handlers>(port1);
    const firstFar = peer(port2, { handlers });
    expect(await first.remote.add(1, 1)).toBe(2);
    first.close();
    await eventually(() => firstFar.closed);
    const second = peer<typeof handlers>(port1);
    peer(port2, { handlers });
    expect(await second.remote.add(2, 2)).toBe(4);
  });

  it('the port closing closes both peers: pending calls reject with PeerClosedError', async () => {
    const { handlers, started } = api();
    const { remote, near, far, port2 } = pair(handlers);
    const pending = remote.work('k');
    await eventually(() => started.length === 1);
    port2.close();
    expect(await rejection(pending)).toBeInstanceOf(PeerClosedError);
    expect(near.closed).toBe(true);
    await eventually(() => far.closed);
  });

  it('close() leaves nothing behind', async () => {
    const { handlers, started } = api();
    const { remote, near, far } = pair(handlers);
    const pending = [remote.work('a'), remote.work('b'), remote.answerLater()];
    await eventually(() => started.length === 2);
    near.close();
    await Promise.allSettled(pending);
    await eventually(() => far.closed);
    for (const side of [near, far]) expect(side.stats).toEqual({ pending: 0, incoming: 0, inboxes: 0, outboxes: 0, uploads: 0, queued: 0 });
  });

  describe('heartbeat', () => {
    it('closes the peer when the other side answered the handshake, then went silent', async () => {
      const { port1, port2 } = channel();
      // A far side that says READY to the first HELLO, then never says anything again.
      let answered = false;
      port2.addEventListener('message', (event: MessageEvent) => {
        // [MARK, channel, HELLO] → [MARK, channel, READY]
        if (!answered && Array.isArray(event.data) && event.data[2] === 0) {
          answered = true;
          port2.postMessage(['portwire:2', 0, 1]);
        }
      });
      port2.start();
      const lonely = peer<{ anything(): void }>(port1, { heartbeat: 20, timeout: 0 });
      const pending = lonely.remote.anything();
      const error = await rejection(pending);
      expect(error).toBeInstanceOf(PeerClosedError);
      expect(lonely.closed).toBe(true);
    });

    it('does not count the wait for the handshake as silence: a late far side still answers', async () => {
      const { handlers } = api();
      const { port1, port2 } = channel();
      const near = peer<typeof handlers>(port1, { heartbeat: 20 });
      const call = near.remote.add(2, 2);
      await sleep(200); // ten intervals before the far side exists
      peer(port2, { handlers });
      expect(await call).toBe(4);
      expect(near.closed).toBe(false);
    });

    it('keeps the peer open while the other side answers, with or without its own heartbeat', async () => {
      const { handlers } = api();
      const plain = pair(handlers, { near: { heartbeat: 50 } });
      const both = pair(handlers, { near: { heartbeat: 50 }, far: { heartbeat: 50 } });
      await sleep(400); // eight intervals: far more than the three of silence that would close it
      expect(plain.near.closed).toBe(false);
      expect(both.near.closed).toBe(false);
      expect(both.far.closed).toBe(false);
      expect(await plain.remote.add(1, 2)).toBe(3);
      expect(await both.remote.add(3, 4)).toBe(7);
    });
  });

  describe('worker_threads', () => {
    it('a terminated worker rejects pending calls with PeerClosedError, no heartbeat needed', async () => {
      const thread = worker('unit.worker');
      const near = createPeer<UnitWorkerApi>(thread);
      onCleanup(() => near.close());
      expect(await near.remote.add(1, 2)).toBe(3);
      const pending = near.remote.hang();
      await thread.terminate();
      expect(await rejection(pending)).toBeInstanceOf(PeerClosedError);
      expect(near.closed).toBe(true);
    });

    it('a worker that exits on its own closes the peer', async () => {
      const thread = worker('unit.worker');
      const near = createPeer<UnitWorkerApi>(thread);
      onCleanup(() => near.close());
      const pending = near.remote.hang();
      expect(await near.remote.exitSoon(0)).toBe('bye');
      expect(await rejection(pending)).toBeInstanceOf(PeerClosedError);
    });

    it('a worker that crashes closes the peer', async () => {
      const thread = worker('unit.worker');
      const crashes: unknown[] = [];
      thread.on('error', (error) => crashes.push(error));
      const near = createPeer<UnitWorkerApi>(thread);
      onCleanup(() => near.close());
      const pending = near.remote.hang();
      expect(await near.remote.crashSoon()).toBe('crashing');
      expect(await rejection(pending)).toBeInstanceOf(PeerClosedError);
      expect(crashes).toHaveLength(1);
    });

    it("a worker that crashes with no 'error' listener of the user's closes the peer with its message", async () => {
      const thread = worker('unit.worker');
      const near = createPeer<UnitWorkerApi>(thread);
      onCleanup(() => near.close());
      const pending = near.remote.hang();
      expect(await near.remote.crashSoon()).toBe('crashing');
      const error = await rejection(pending);
      expect(error).toBeInstanceOf(PeerClosedError);
      expect((error as Error).message).toContain('worker crashed');
    });

    it('closing the near peer closes the worker side: with nothing else to do, the thread exits', async () => {
      const thread = worker('unit.worker');
      const exited = once(thread, 'exit');
      const near = createPeer<UnitWorkerApi>(thread);
      onCleanup(() => near.close());
      expect(await near.remote.add(1, 1)).toBe(2);
      near.close();
      expect(await exited).toEqual([0]);
    });
  });
});

import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { createPeer } from '../../src/node/index';
import { PeerClosedError, isPortwireError } from '../../src/index';
import { closeAll, onCleanup, pair, rejection, worker } from './helpers';

afterEach(closeAll);

type BusyApi = { block(ms: number): number; work(n: number, ms: number): AsyncGenerator<number>; ping(): string };

describe('terminate', () => {
  it('ends a busy worker and rejects its pending calls at once, with no heartbeat', async () => {
    const thread = worker('busy.worker', new SharedArrayBuffer(12));
    const peer = createPeer<BusyApi>(thread);
    onCleanup(() => peer.closed || peer.close());
    expect(await peer.remote.ping()).toBe('pong');
    const exited = once(thread, 'exit');
    const call = peer.remote.block(60_000);
    const stream = peer.remote.work(1_000, 60_000);
    peer.remote.$terminate();
    const errors = await Promise.all([rejection(call), rejection((async () => { for await (const _ of stream); })())]);
    for (const error of errors) {
      expect(error).toBeInstanceOf(PeerClosedError);
      expect(error.message).toBe('portwire: the worker was terminated');
    }
    expect(peer.closed).toBe(true);
    // The thread really ends, though it was in the middle of a one-minute synchronous call.
    await exited;
    expect(peer.stats).toEqual({ pending: 0, incoming: 0, inboxes: 0, outboxes: 0, uploads: 0, queued: 0 });
  });

  it('on an endpoint that is not a Worker is a clear error, and the peer stays open', async () => {
    const { near, remote } = pair({ add: (a: number, b: number) => a + b });
    let error: unknown;
    try {
      near.terminate();
    } catch (e) {
      error = e;
    }
    expect(isPortwireError(error) && error.code).toBe('NOT_TERMINABLE');
    expect(String(error)).toMatch(/needs a Worker endpoint; use close\(\)/);
    expect(near.closed).toBe(false);
    expect(await remote.add(1, 2)).toBe(3);
  });
});

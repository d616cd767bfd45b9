import { afterEach, describe, expect, it } from 'vitest';
import { createPeer } from '../../src/node/index';
import { closeAll, onCleanup, worker } from './helpers';

afterEach(closeAll);

type BusyApi = {
  work(n: number, ms: number): AsyncGenerator<number>;
  block(ms: number): number;
  ping(): string;
};

const PRODUCED = 0;
const FINALLY = 1;

/** A worker thread whose generator spins `ms` per item; the board is its shared counters. */
function busy(options: Parameters<typeof createPeer>[1] = {}) {
  const board = new Int32Array(new SharedArrayBuffer(3 * 4));
  const peer = createPeer<BusyApi>(worker('busy.worker', board.buffer), options);
  onCleanup(() => peer.close());
  const read = () => ({ produced: Atomics.load(board, PRODUCED), finallyRan: Atomics.load(board, FINALLY) === 1 });
  /** Waits (without a message: the worker may be busy) until its generator's `finally` has run. */
  const finallyRan = async () => {
    while (!read().finallyRan) await new Promise((resolve) => setTimeout(resolve, 10));
    return read();
  };
  return { remote: peer.remote, peer, read, finallyRan };
}

// 10 items of 100 ms each: the whole run is 1 s, so a reader that only hears of items at the end
// sees all 10 produced before its first one.
const N = 10;
const MS = 100;

describe('a CPU-bound generator', () => {
  it('streams each item while it computes the next', async () => {
    const { remote, read, finallyRan } = busy();
    const seen: number[] = [];
    for await (const i of remote.work(N, MS)) {
      // The producer has made this item and is at most computing the next one.
      seen.push(read().produced - i);
    }
    expect(seen).toHaveLength(N);
    // Counted on arrival of item i: items produced beyond it (1 = itself only, 2 = the next one
    // was finished meanwhile). Held back until the end, item 0 would see 10.
    expect(Math.max(...seen)).toBeLessThanOrEqual(2);
    expect((await finallyRan()).produced).toBe(N);
  });

  it('stops within about one item of a break', async () => {
    const { remote, finallyRan } = busy();
    for await (const i of remote.work(N, MS)) if (i === 3) break;
    const { produced } = await finallyRan();
    // Items 0..3 were read; the CANCEL lands at the next yield: item 4, or 5 if it crossed it.
    expect(produced).toBeGreaterThanOrEqual(4);
    expect(produced).toBeLessThanOrEqual(6);
  });

  it('stops within about one item of an abort', async () => {
    const { remote, finallyRan } = busy();
    const controller = new AbortController();
    const error = await (async () => {
      try {
        for await (const i of remote.$call('work', [N, MS], { signal: controller.signal })) if (i === 1) controller.abort();
      } catch (error) {
        return error as Error;
      }
    })();
    expect(error?.name).toBe('AbortError');
    expect((await finallyRan()).produced).toBeLessThanOrEqual(4);
  });

  it('stops within about one item of the reader closing its peer', async () => {
    const { remote, peer, finallyRan } = busy();
    const error = await (async () => {
      try {
        for await (const i of remote.work(N, MS)) if (i === 1) peer.close();
      } catch (error) {
        return error as Error;
      }
    })();
    expect(error?.name).toBe('PeerClosedError');
    expect((await finallyRan()).produced).toBeLessThanOrEqual(4);
  });

  it('answers heartbeats while it computes, so a short heartbeat does not close it', async () => {
    // 10 × 100 ms of computing against a 50 ms heartbeat (silence past 150 ms closes): it holds
    // only because pings are answered between items. Without that, 1 s would pass unanswered.
    const { remote, peer } = busy({ heartbeat: 50 });
    expect(await remote.ping()).toBe('pong');
    let items = 0;
    for await (const _ of remote.work(N, MS)) items++;
    expect(items).toBe(N);
    expect(peer.closed).toBe(false);
  });
});

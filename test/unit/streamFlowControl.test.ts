import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, collect, pair, sleep, within } from './helpers';

afterEach(closeAll);

/**
 * A producer and a consumer in this one process, sharing counters: the producer records how far
 * ahead of the consumer it ever got, at the moment it creates each item.
 */
function meter() {
  const counts = { produced: 0, consumed: 0, maxAhead: 0 };
  async function* numbers(n: number) {
    for (let i = 0; i < n; i++) {
      counts.produced++;
      counts.maxAhead = Math.max(counts.maxAhead, counts.produced - counts.consumed);
      yield i;
    }
  }
  /** Waits until the producer has stopped creating items (it is out of credit, or done). */
  async function stalled() {
    let last = -1;
    let quiet = 0;
    while (quiet < 6) {
      await sleep(5);
      quiet = counts.produced === last ? quiet + 1 : 0;
      last = counts.produced;
    }
  }
  /**
   * Reads `iterable`, pausing after each count in `pauses` until the producer stalls; returns
   * how far ahead the producer was at each pause.
   */
  async function consume(iterable: AsyncIterable<unknown>, pauses: number[]) {
    const aheadAtPause: number[] = [];
    for await (const _ of iterable) {
      counts.consumed++;
      if (pauses.includes(counts.consumed)) {
        await stalled();
        aheadAtPause.push(counts.produced - counts.consumed);
      }
    }
    return aheadAtPause;
  }
  return { counts, numbers, consume };
}

describe('stream flow control', () => {
  it('while the consumer is paused, the producer creates at most the default window (256) ahead', async () => {
    const m = meter();
    const { remote } = pair({ numbers: m.numbers });
    const ahead = await m.consume(remote.numbers(1000), [1, 100, 300, 301, 700]);
    expect(m.counts.consumed).toBe(1000);
    expect(ahead).toHaveLength(5);
    for (const value of ahead) expect(value).toBeLessThanOrEqual(256);
    expect(ahead[0]).toBeGreaterThan(0); // it does run ahead: the window is used
    expect(m.counts.maxAhead).toBeLessThanOrEqual(256);
  });

  it("the peer's window option bounds every stream it reads", async () => {
    const m = meter();
    const { remote } = pair({ numbers: m.numbers }, { near: { window: 8 } });
    const ahead = await m.consume(remote.numbers(200), [1, 5, 9, 50, 51, 52, 150]);
    for (const value of ahead) expect(value).toBeLessThanOrEqual(8);
    expect(ahead[0]).toBeGreaterThan(0);
    expect(m.counts.maxAhead).toBeLessThanOrEqual(8);
  });

  it("a per-call window overrides the peer's", async () => {
    const m = meter();
    const { remote } = pair({ numbers: m.numbers }, { near: { window: 64 } });
    const ahead = await m.consume(remote.$call('numbers', [100], { window: 5 }), [1, 2, 3, 10, 40, 80]);
    for (const value of ahead) expect(value).toBeLessThanOrEqual(5);
    expect(ahead[0]).toBeGreaterThan(0);
    expect(m.counts.maxAhead).toBeLessThanOrEqual(5);
  });

  it('a per-call window of 1 keeps the producer in lock-step with the reader', async () => {
    const m = meter();
    const { remote } = pair({ numbers: m.numbers });
    const items = [] as number[];
    for await (const value of remote.$call('numbers', [20], { window: 1 })) {
      m.counts.consumed++;
      items.push(value);
      if (value % 5 === 0) await sleep(15);
    }
    expect(items).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(m.counts.maxAhead).toBeLessThanOrEqual(1);
  });

  it('an upload is bounded by the window of the side that reads it', async () => {
    const m = meter();
    let aheadAtPauses: number[] = [];
    const handlers = {
      async drain(values: AsyncIterable<number>) {
        aheadAtPauses = await m.consume(values, [1, 3, 6, 20]);
        return m.counts.consumed;
      },
    };
    const { remote } = pair(handlers, { far: { window: 6 }, near: { window: 1000 } });
    expect(await remote.drain(m.numbers(30))).toBe(30);
    for (const value of aheadAtPauses) expect(value).toBeLessThanOrEqual(6);
    expect(aheadAtPauses[0]).toBeGreaterThan(0);
    expect(m.counts.maxAhead).toBeLessThanOrEqual(6);
  });

  it('a small window loses and reorders nothing', async () => {
    const m = meter();
    const { remote } = pair({ numbers: m.numbers }, { near: { window: 2 } });
    const items = await collect(remote.numbers(2000));
    expect(items).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  });

  it('a stream nobody reads makes the producer create nothing', async () => {
    const m = meter();
    const { remote } = pair({ numbers: m.numbers });
    const iterator = await remote.numbers(1000);
    await sleep(30);
    expect(m.counts.produced).toBe(0);
    await iterator.return();
  });

  it.each([0, -1, 2.5, Number.NaN])('a window of %s is refused clearly, never a hanging stream', async (window) => {
    const m = meter();
    const perCall = pair({ numbers: m.numbers });
    const settle = (stream: AsyncIterable<number>) => collect(stream).then(() => 'ended', (error: Error) => error.name);
    expect(await within(settle(perCall.remote.$call('numbers', [3], { window })), 1000)).toBe('RangeError');
    expect(() => pair({ numbers: m.numbers }, { near: { window } })).toThrow(RangeError);
  });
});

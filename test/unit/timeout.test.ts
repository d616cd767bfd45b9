import { afterEach, describe, expect, it } from 'vitest';
import { context, isPortwireError, PortwireError, TimeoutError } from '../../src/index';
import { channel, closeAll, collect, deferred, eventually, pair, peer, rejection, sleep } from './helpers';

afterEach(closeAll);

function api() {
  const aborted: unknown[] = [];
  const late = deferred<string>();
  return {
    aborted,
    late,
    handlers: {
      add: (a: number, b: number) => a + b,
      /** Never answers; records why it was told to stop. */
      hang(): Promise<never> {
        const { signal } = context();
        return new Promise((_, reject) => {
          signal.addEventListener('abort', () => {
            aborted.push(signal.reason);
            reject(signal.reason);
          });
        });
      },
      /** Answers when the test says so, ignoring its signal. */
      answerLate: () => late.promise,
      async after<T>(ms: number, value: T) {
        await sleep(ms);
        return value;
      },
      async *slowItems(count: number, ms: number) {
        for (let i = 0; i < count; i++) {
          await sleep(ms);
          yield i;
        }
      },
      async slowStream(ms: number) {
        await sleep(ms);
        return (async function* () {
          yield 'never seen';
        })();
      },
    },
  };
}

describe('timeouts', () => {
  it("a call past the peer's timeout rejects with TimeoutError naming the method and the timeout", async () => {
    const { handlers } = api();
    const { remote } = pair(handlers, { near: { timeout: 50 } });
    const error = await rejection(remote.hang());
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toBeInstanceOf(PortwireError);
    expect(isPortwireError(error)).toBe(true);
    expect(error).toMatchObject({ method: 'hang', timeout: 50, code: 'TIMEOUT', name: 'TimeoutError' });
    expect(error.message).toContain('hang');
  });

  it("a per-call timeout overrides the peer's", async () => {
    const { handlers } = api();
    const { remote } = pair(handlers, { near: { timeout: 60_000 } });
    const error = await rejection(remote.$call('hang', [], { timeout: 30 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.timeout).toBe(30);
  });

  it('a per-call timeout longer than the peer timeout lets a slow answer arrive', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers, { near: { timeout: 30 } });
    expect(await remote.$call('after', [80, 'slow but fine'], { timeout: 5000 })).toBe('slow but fine');
  });

  it('timeout 0 waits forever, per call and per peer', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers, { near: { timeout: 30 } });
    expect(await remote.$call('after', [80, 'per call'], { timeout: 0 })).toBe('per call');
    const { remote: patient } = pair(handlers, { near: { timeout: 0 } });
    expect(await patient.after(80, 'per peer')).toBe('per peer');
  });

  it('the handler is told: its signal aborts, and the far side forgets the call', async () => {
    const { handlers, aborted } = api();
    const { remote, far } = pair(handlers, { near: { timeout: 30 } });
    await rejection(remote.hang());
    await eventually(() => aborted.length === 1);
    expect(aborted[0]).toMatchObject({ name: 'AbortError', method: 'hang' });
    expect(far.stats.incoming).toBe(0);
  });

  it('an answer after the timeout is dropped, and the peer keeps working', async () => {
    const { handlers, late } = api();
    const { remote, near } = pair(handlers, { near: { timeout: 5000 } });
    const error = await rejection(remote.$call('answerLate', [], { timeout: 30 }));
    expect(error).toBeInstanceOf(TimeoutError);
    late.resolve('too late');
    await sleep(10);
    expect(await remote.add(1, 2)).toBe(3);
    expect(near.stats.pending).toBe(0);
  });

  it('every call on the default timeout expires, including ones made after others settled', async () => {
    const { handlers } = api();
    const { remote, near } = pair(handlers, { near: { timeout: 150 } });
    const first = remote.hang();
    await sleep(50);
    const second = remote.hang();
    const answered = remote.add(2, 2);
    expect(await answered).toBe(4);
    expect(await rejection(first)).toBeInstanceOf(TimeoutError);
    expect(await rejection(second)).toBeInstanceOf(TimeoutError);
    // nothing pending now: the next call must arm a fresh timer
    const third = remote.hang();
    expect(await rejection(third)).toBeInstanceOf(TimeoutError);
    expect(near.stats.pending).toBe(0);
  });

  it('calls with their own timeout and calls on the default one expire independently', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers, { near: { timeout: 60 } });
    const own = remote.$call('hang', [], { timeout: 20 });
    const byDefault = remote.hang();
    const long = remote.$call('after', [80, 'ok'], { timeout: 5000 });
    expect((await rejection(own)).timeout).toBe(20);
    expect((await rejection(byDefault)).timeout).toBe(60);
    expect(await long).toBe('ok');
  });

  it('a call waiting for a handshake that never comes times out', async () => {
    const { port1 } = channel();
    const lonely = peer<{ anything(): void }>(port1, { timeout: 30 });
    expect(await rejection(lonely.remote.anything())).toBeInstanceOf(TimeoutError);
  });

  it("a stream's timeout covers its start only: items may take longer in total", async () => {
    const { handlers } = api();
    const { remote } = pair(handlers, { near: { timeout: 100 } });
    expect(await collect(remote.slowItems(4, 60))).toEqual([0, 1, 2, 3]);
  });

  it('a stream that does not start within the timeout rejects with TimeoutError', async () => {
    const { handlers } = api();
    const { remote, far } = pair(handlers, { near: { timeout: 30 } });
    const error = await rejection(collect(remote.slowStream(80)));
    expect(error).toBeInstanceOf(TimeoutError);
    await sleep(100);
    expect(far.stats.outboxes).toBe(0);
  });
});

describe('timeout limits', () => {
  it('Infinity waits forever (like 0), and a timeout past what timers take is refused', async () => {
    const { remote } = pair({ later: (ms: number) => new Promise<number>((resolve) => setTimeout(() => resolve(ms), ms)) });
    expect(await remote.$call('later', [30], { timeout: Infinity })).toBe(30);
    await expect(remote.$call('later', [0], { timeout: 3e9 })).rejects.toThrow(RangeError);
    const { port1 } = channel();
    expect(() => peer(port1, { timeout: 2 ** 31 })).toThrow(RangeError);
  });
});

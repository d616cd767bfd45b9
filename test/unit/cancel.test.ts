import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { ABORT } from '../../src/core/protocol';
import { AbortError, context, PortwireError } from '../../src/index';
import { closeAll, deferred, eventually, pair, recordPosts, rejection, sleep } from './helpers';

afterEach(closeAll);

function api() {
  const started: string[] = [];
  const aborted: Array<{ key: string; reason: unknown }> = [];
  const signals: AbortSignal[] = [];
  const gate = deferred<string>();
  return {
    started,
    aborted,
    signals,
    gate,
    handlers: {
      add: (a: number, b: number) => a + b,
      /** Runs until aborted; records that it started and why it stopped. */
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
      /** Records that it ran and its signal, then answers when the test opens the gate (ignoring its signal). */
      effect(key: string) {
        started.push(key);
        signals.push(context().signal);
        return gate.promise;
      },
    },
  };
}

describe('cancellation with an AbortSignal', () => {
  it('an already aborted signal rejects at once with AbortError; the handler never runs', async () => {
    const { handlers, started } = api();
    const { remote } = pair(handlers);
    const reason = new Error('user left');
    const error = await rejection(remote.$call('work', ['pre'], { signal: AbortSignal.abort(reason) }));
    expect(error).toBeInstanceOf(AbortError);
    expect(error).toBeInstanceOf(PortwireError);
    expect(error).toMatchObject({ code: 'ABORTED', method: 'work', name: 'AbortError' });
    expect(error.cause).toBe(reason);
    await remote.add(0, 0);
    expect(started).toEqual([]);
  });

  it("aborting mid-call rejects with AbortError whose cause is the signal's reason", async () => {
    const { handlers, started } = api();
    const { remote } = pair(handlers);
    const controller = new AbortController();
    const call = remote.$call('work', ['mid'], { signal: controller.signal });
    await eventually(() => started.includes('mid'));
    controller.abort('changed my mind');
    const error = await rejection(call);
    expect(error).toBeInstanceOf(AbortError);
    expect(error.cause).toBe('changed my mind');
  });

  it("the handler's context().signal fires with an AbortError, and the far side forgets the call", async () => {
    const { handlers, started, aborted } = api();
    const { remote, far } = pair(handlers);
    const controller = new AbortController();
    const call = remote.$call('work', ['told'], { signal: controller.signal });
    await eventually(() => started.includes('told'));
    controller.abort();
    await rejection(call);
    await eventually(() => aborted.length === 1);
    expect(aborted[0]).toMatchObject({ key: 'told', reason: { name: 'AbortError', method: 'work' } });
    expect(far.stats.incoming).toBe(0);
  });

  it('an answer that comes after the abort is dropped', async () => {
    const { handlers, started, gate } = api();
    const { remote, near } = pair(handlers);
    const controller = new AbortController();
    const call = remote.$call('effect', ['ignored'], { signal: controller.signal });
    await eventually(() => started.includes('ignored'));
    controller.abort();
    expect(await rejection(call)).toBeInstanceOf(AbortError);
    gate.resolve('too late');
    expect(await remote.add(1, 1)).toBe(2);
    expect(near.stats.pending).toBe(0);
  });

  it('one signal cancels every call it was given, and no others', async () => {
    const { handlers, started } = api();
    const { remote } = pair(handlers);
    const controller = new AbortController();
    const calls = ['a', 'b', 'c'].map((key) => remote.$call('work', [key], { signal: controller.signal }));
    const other = remote.$call('work', ['other'], { timeout: 5000 });
    await eventually(() => started.length === 4);
    controller.abort();
    for (const call of calls) expect(await rejection(call)).toBeInstanceOf(AbortError);
    expect(await Promise.race([other.then(() => 'settled', () => 'settled'), sleep(50).then(() => 'still running')])).toBe(
      'still running',
    );
  });

  it('the signal listener is removed once the call settles, whichever way', async () => {
    const { handlers, gate } = api();
    const { remote } = pair(handlers);
    const controller = new AbortController();
    const { signal } = controller;
    expect(await remote.$call('add', [1, 2], { signal })).toBe(3);
    await rejection(remote.$call('nope' as never, [] as never, { signal }));
    gate.resolve('done');
    expect(await remote.$call('effect', ['x'], { signal })).toBe('done');
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('aborting after the call settled changes nothing: no ABORT is sent, the handler is not told, the peer works on', async () => {
    const { handlers, started, gate, signals } = api();
    const { remote, near, far, port1 } = pair(handlers);
    const controller = new AbortController();
    // An async handler, so the far side tracks the call (and would abort it) until it answers.
    const call = remote.$call('effect', ['settled'], { signal: controller.signal });
    await eventually(() => started.includes('settled'));
    expect(far.stats.incoming, 'the far side tracks the call while it runs').toBe(1);
    gate.resolve('answered');
    expect(await call).toBe('answered');
    const posts = recordPosts(port1);
    controller.abort('too late');
    // A round trip after the abort: an ABORT sent by it would have arrived before this answer.
    expect(await remote.add(2, 2)).toBe(4);
    const aborts = posts.flatMap((post) => post.data.b).filter((message) => message[0] === ABORT);
    expect(aborts, 'ABORT messages sent after the call settled').toEqual([]);
    expect(signals, "the handler's context().signal").toHaveLength(1);
    expect(signals[0]!.aborted, "the handler's signal fired").toBe(false);
    expect(far.stats.incoming).toBe(0);
    expect(near.stats.pending).toBe(0);
    expect(await call, 'the settled call keeps its value').toBe('answered');
  });

  it('a call aborted before it was even sent never runs its handler', async () => {
    const { handlers, started } = api();
    const { remote } = pair(handlers);
    await remote.add(0, 0); // handshake done: the next call is only queued for this turn's batch
    const controller = new AbortController();
    const call = remote.$call('effect', ['never sent'], { signal: controller.signal });
    controller.abort();
    expect(await rejection(call)).toBeInstanceOf(AbortError);
    await remote.add(0, 0);
    expect(started).toEqual([]);
  });
});

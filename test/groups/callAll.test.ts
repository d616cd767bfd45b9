import { describe, expect, it } from 'vitest';
import { context } from '../../src/index';
import { members, sleep } from './support';

const api = {
  who: () => context().caller,
  /** Answers after `ms`, or never when `ms` is negative. */
  later: (value: string, ms: number) => new Promise((resolve) => ms >= 0 && setTimeout(resolve, ms, value)),
  fail: () => {
    throw Object.assign(new Error('nope'), { code: 'E_NOPE' });
  },
};
type Api = typeof api;

describe('callAll', () => {
  it('calls every member present, one entry per member in peers order, each with its id', async () => {
    const [a, b, c] = await members<Api>(3, { handlers: api });
    const order = a!.peers;
    const answers = await a!.callAll('who', []);
    expect(answers).toEqual(order.map((id) => ({ id, status: 'fulfilled', value: a!.id })));
  });

  it('settles each member on its own: a failure or a timeout is that entry, the others still answer', async () => {
    const [a, b, c] = await members<Api>(3, { handlers: api });
    const failed = await a!.callAll('fail', []);
    expect(failed.map((entry) => entry.status)).toEqual(['rejected', 'rejected']);
    expect(failed[0]).toMatchObject({ status: 'rejected', reason: { name: 'RemoteError', code: 'E_NOPE' } });
    const timed = await a!.callAll('later', ['x', -1], { timeout: 50 });
    expect(timed.map((entry) => entry.status === 'rejected' && (entry.reason as Error).name)).toEqual(['TimeoutError', 'TimeoutError']);
    expect(b!.peers).toContain(c!.id);
  });

  it('a member that leaves mid-call settles rejected with PeerClosedError at once; the others answer', async () => {
    const [a, b, c] = await members<Api>(3, { handlers: api });
    const started = Date.now();
    const call = a!.callAll('later', ['late', 300], { timeout: 10_000 });
    await sleep(30);
    const goneId = b!.id;
    b!.close();
    const answers = await call;
    const gone = answers.find((entry) => entry.id === goneId)!;
    const stayed = answers.find((entry) => entry.id === c!.id)!;
    expect(gone).toMatchObject({ status: 'rejected', reason: { name: 'PeerClosedError' } });
    expect((gone as PromiseRejectedResult).reason.message).toContain(`member ${goneId} left`);
    expect(stayed).toEqual({ id: c!.id, status: 'fulfilled', value: 'late' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('with nobody else in the group, answers an empty list', async () => {
    const [alone] = await members<Api>(1, { handlers: api });
    expect(await alone!.callAll('who', [])).toEqual([]);
  });

  it('an abort signal rejects every entry with AbortError', async () => {
    const [a] = await members<Api>(3, { handlers: api });
    const controller = new AbortController();
    const call = a!.callAll('later', ['x', -1], { signal: controller.signal });
    await sleep(20);
    controller.abort();
    const answers = await call;
    expect(answers.map((entry) => entry.status === 'rejected' && (entry.reason as Error).name)).toEqual(['AbortError', 'AbortError']);
  });

  it('refuses to upload one stream to several members', async () => {
    const [a] = await members<Api>(2, { handlers: api });
    async function* items() {
      yield 1;
    }
    await expect(a!.callAll('who', [items()] as never)).rejects.toThrow(/cannot upload one stream/);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { context, DataCloneError, MethodNotFoundError, PeerClosedError } from '../../src/index';
import { closeAll, eventually, pair, recordPosts, sleep } from './helpers';

afterEach(closeAll);

function api() {
  const seen: unknown[] = [];
  return {
    seen,
    handlers: {
      log(...args: unknown[]) {
        seen.push(args);
      },
      whereAmI() {
        seen.push(context().method);
      },
      mark: (value: string) => {
        seen.push(value);
        return value;
      },
      explode(): void {
        throw new Error('notification handler failed');
      },
      async explodeLater(): Promise<void> {
        await sleep(1);
        throw new Error('async notification handler failed');
      },
    },
  };
}

describe('notifications', () => {
  it('are fire-and-forget: $notify returns nothing and the handler runs with the arguments', async () => {
    const { seen, handlers } = api();
    const { remote } = pair(handlers);
    expect(remote.$notify('log', 'saved', 42)).toBeUndefined();
    await eventually(() => seen.length === 1);
    expect(seen).toEqual([['saved', 42]]);
  });

  it('arrive in order, interleaved in order with calls', async () => {
    const { seen, handlers } = api();
    const { remote } = pair(handlers);
    remote.$notify('mark', 'n1');
    const call = remote.mark('c1');
    remote.$notify('mark', 'n2');
    await sleep(1); // a later turn: a separate batch
    remote.$notify('mark', 'n3');
    await call;
    await remote.mark('c2');
    expect(seen).toEqual(['n1', 'c1', 'n2', 'n3', 'c2']);
  });

  it('get no answer: the other side posts nothing back', async () => {
    const { seen, handlers } = api();
    const { remote, port2 } = pair(handlers);
    await remote.mark('handshake done');
    const posts = recordPosts(port2);
    for (let i = 0; i < 10; i++) remote.$notify('log', i);
    await eventually(() => seen.length === 11);
    await sleep(20);
    expect(posts).toHaveLength(0);
  });

  it('handler context: context() names the notified method', async () => {
    const { seen, handlers } = api();
    const { remote } = pair(handlers);
    remote.$notify('whereAmI');
    await eventually(() => seen.length === 1);
    expect(seen).toEqual(['whereAmI']);
  });

  it("a throwing or rejecting handler goes to the receiver's onError; the sender never hears of it", async () => {
    const { handlers } = api();
    const receiverErrors: unknown[] = [];
    const senderErrors: unknown[] = [];
    const { remote } = pair(handlers, {
      far: { onError: (error) => receiverErrors.push(error) },
      near: { onError: (error) => senderErrors.push(error) },
    });
    remote.$notify('explode');
    remote.$notify('explodeLater');
    await eventually(() => receiverErrors.length === 2);
    expect(receiverErrors.map((error) => (error as Error).message).sort()).toEqual([
      'async notification handler failed',
      'notification handler failed',
    ]);
    expect(await remote.mark('still works')).toBe('still works');
    expect(senderErrors).toEqual([]);
  });

  it("an unknown method goes to the receiver's onError as MethodNotFoundError", async () => {
    const { handlers } = api();
    const receiverErrors: unknown[] = [];
    const { remote } = pair(handlers, { far: { onError: (error) => receiverErrors.push(error) } });
    (remote.$notify as (method: string) => void)('nope');
    await eventually(() => receiverErrors.length === 1);
    expect(receiverErrors[0]).toBeInstanceOf(MethodNotFoundError);
    expect(receiverErrors[0]).toMatchObject({ method: 'nope', code: 'METHOD_NOT_FOUND' });
  });

  it("an uncloneable argument goes to the sender's onError as DataCloneError and spares the rest of the batch", async () => {
    const { seen, handlers } = api();
    const senderErrors: unknown[] = [];
    const { remote } = pair(handlers, { near: { onError: (error) => senderErrors.push(error) } });
    await remote.mark('ready');
    expect(() => remote.$notify('log', () => 'functions do not clone')).not.toThrow();
    remote.$notify('mark', 'same batch');
    await eventually(() => senderErrors.length === 1);
    expect(senderErrors[0]).toBeInstanceOf(DataCloneError);
    expect(senderErrors[0]).toMatchObject({ method: 'log', where: 'notification', rpcCode: -32602 });
    await eventually(() => seen.includes('same batch'));
  });

  it('on a closed peer, $notify throws PeerClosedError', () => {
    const { handlers } = api();
    const { remote, near } = pair(handlers);
    near.close();
    expect(() => remote.$notify('log', 'too late')).toThrow(PeerClosedError);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { PortwireError, createPeer, transfer, type Transport } from '../../src/index';
import { channel, closeAll, onCleanup, peer, recordPosts } from './helpers';

afterEach(closeAll);

/** A real port behind a transport that, like BroadcastChannel, cannot move anything. */
function copyOnly(port: MessagePort): Transport {
  return {
    send: (message, list) => {
      if (list.length) throw new PortwireError('NO_TRANSFER', 'portwire: this endpoint cannot transfer');
      port.postMessage(message);
    },
    listen(handler) {
      const onMessage = (event: MessageEvent) => handler(event.data);
      port.addEventListener('message', onMessage);
      port.start();
      return () => port.removeEventListener('message', onMessage);
    },
    checkTransfer(list) {
      if (list.length) throw new PortwireError('NO_TRANSFER', `portwire: this endpoint cannot transfer (asked to move ${list.length})`);
    },
  };
}

describe('a transport that cannot transfer', () => {
  it('rejects a call asking to transfer, before anything is sent, and keeps the buffer', async () => {
    const { port1, port2 } = channel();
    peer(port2, { handlers: { size: (b: ArrayBuffer) => b.byteLength } });
    const posts = recordPosts(port1);
    const near = createPeer<{ size(b: ArrayBuffer): number }>(copyOnly(port1));
    onCleanup(() => near.close());
    const buffer = new ArrayBuffer(8);
    const error = await near.remote.size(transfer(buffer, [buffer])).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NO_TRANSFER', message: 'portwire: this endpoint cannot transfer (asked to move 1)' });
    expect(buffer.byteLength).toBe(8);
    expect(posts.flatMap((p) => p.data.b).filter((record) => record[0] !== 0 && record[0] !== 1)).toEqual([]);
    // The peer keeps working for calls that copy.
    expect(await near.remote.size(buffer)).toBe(8);
  });

  it('throws at the caller of a notification asking to transfer', async () => {
    const { port1 } = channel();
    const near = createPeer<{ log(b: ArrayBuffer): void }>(copyOnly(port1));
    onCleanup(() => near.close());
    const buffer = new ArrayBuffer(8);
    expect(() => near.remote.$notify('log', transfer(buffer, [buffer]))).toThrow(/cannot transfer/);
  });
});

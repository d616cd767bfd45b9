import { afterEach, describe, expect, it } from 'vitest';
import * as P from '../../src/core/protocol';
import { transfer } from '../../src/index';
import { channel, closeAll, collect, pair, peer, recordPosts } from './helpers';

afterEach(closeAll);

const bytes = (size: number, fill: number) => new Uint8Array(size).fill(fill).buffer;

function api() {
  const made: ArrayBuffer[] = [];
  return {
    made,
    handlers: {
      /** Moves each item's buffer to the reader. */
      async *chunks(count: number, size: number) {
        for (let i = 0; i < count; i++) {
          const buffer = bytes(size, i);
          made.push(buffer);
          yield transfer(buffer, [buffer]);
        }
      },
      /** Alternates moved buffers (wrapped with an index) and plain copied values. */
      async *mixed(count: number) {
        for (let i = 0; i < count; i++) {
          if (i % 2 === 0) {
            const buffer = bytes(4, i);
            made.push(buffer);
            yield transfer({ i, buffer }, [buffer]);
          } else yield { i, plain: true };
        }
      },
      /** Hands out a fresh port per item, each serving its own tiny API. */
      async *ports(count: number) {
        for (let i = 0; i < count; i++) {
          const { port1, port2 } = channel();
          peer(port1, { handlers: { index: () => i } });
          yield transfer(port2, [port2]);
        }
      },
      /** Sums every byte of an upload of buffers. */
      async total(chunks: AsyncIterable<ArrayBuffer>) {
        let sum = 0;
        for await (const chunk of chunks) for (const byte of new Uint8Array(chunk)) sum += byte;
        return sum;
      },
    },
  };
}

describe('stream items with transfer', () => {
  it('each marked item is moved: the reader gets the bytes, the producer keeps a detached buffer', async () => {
    const { handlers, made } = api();
    const { remote } = pair(handlers);
    const received = await collect(remote.chunks(20, 256));
    expect(received.map((buffer) => [buffer.byteLength, new Uint8Array(buffer)[255]])).toEqual(
      Array.from({ length: 20 }, (_, i) => [256, i]),
    );
    expect(made.every((buffer) => buffer.byteLength === 0)).toBe(true);
  });

  it('moved and copied items keep their order', async () => {
    const { handlers, made } = api();
    const { remote } = pair(handlers);
    const received = await collect(remote.mixed(10));
    expect(received.map((item) => item.i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    received.forEach((item) => {
      if ('buffer' in item) expect(new Uint8Array(item.buffer)).toEqual(new Uint8Array(4).fill(item.i));
      else expect(item.plain).toBe(true);
    });
    expect(made.every((buffer) => buffer.byteLength === 0)).toBe(true);
  });

  it('moved items still share postMessages, each post listing the buffers it moves', async () => {
    const { handlers } = api();
    const { remote, port2 } = pair(handlers, { near: { window: 64 } });
    await collect(remote.chunks(1, 1));
    const posts = recordPosts(port2);
    await collect(remote.chunks(64, 16));
    const itemPosts = posts.filter((post) => post.data.b.some((m: unknown[]) => m[0] === P.ITEMS));
    const moved = itemPosts.reduce((sum, post) => sum + post.transfer.length, 0);
    expect(moved).toBe(64);
    expect(itemPosts.length).toBeLessThan(64);
  });

  it('moved ports arrive working: each carries its own peer', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    const ports = await collect(remote.ports(3));
    const answers = await Promise.all(ports.map((port) => peer<{ index(): number }>(port).remote.index()));
    expect(answers).toEqual([0, 1, 2]);
  });

  it('an upload moves its marked items too', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    const sent: ArrayBuffer[] = [];
    async function* upload() {
      for (let i = 1; i <= 5; i++) {
        const buffer = bytes(10, i);
        sent.push(buffer);
        yield transfer(buffer, [buffer]);
      }
    }
    expect(await remote.total(upload())).toBe(10 * (1 + 2 + 3 + 4 + 5));
    expect(sent.every((buffer) => buffer.byteLength === 0)).toBe(true);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { createPeer as createNodePeer } from '../../src/node/index';
import { DataCloneError, transfer } from '../../src/index';
import type { UnitWorkerApi } from '../fixtures/unit.worker';
import { channel, closeAll, eventually, onCleanup, pair, peer, recordPosts, rejection, worker } from './helpers';

afterEach(closeAll);

const bytes = (size: number, fill: number) => new Uint8Array(size).fill(fill).buffer;

function api() {
  const received: ArrayBuffer[] = [];
  const bounced: ArrayBuffer[] = [];
  return {
    received,
    bounced,
    handlers: {
      /** Sums the bytes of a buffer. */
      sum: (buffer: ArrayBuffer) => new Uint8Array(buffer).reduce((a, b) => a + b, 0),
      keep: (buffer: ArrayBuffer) => void received.push(buffer),
      make(size: number, fill: number) {
        const buffer = bytes(size, fill);
        return transfer(buffer, [buffer]);
      },
      makeWrapped(size: number) {
        const buffer = bytes(size, 1);
        return transfer({ name: 'payload', buffer }, [buffer]);
      },
      /** Returns the buffer, moved back to the caller; keeps its own handle on it, to look at afterwards. */
      bounce(buffer: ArrayBuffer) {
        bounced.push(buffer);
        return transfer(buffer, [buffer]);
      },
      /** Serves a nested API on a port the caller moved here. */
      adopt(port: MessagePort) {
        peer(port, { handlers: { mul: (a: number, b: number) => a * b } });
        return 'adopted';
      },
    },
  };
}

describe('transfer', () => {
  it("the move happens when the turn's batch is posted: the buffer is detached by the next microtask", async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    await remote.sum(bytes(1, 0));
    const buffer = bytes(4, 1);
    const call = remote.sum(transfer(buffer, [buffer]));
    await Promise.resolve();
    expect(buffer.byteLength).toBe(0);
    expect(await call).toBe(4);
  });

  it('transfer() moves an argument: the sender side is detached, the handler gets the bytes', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    const buffer = bytes(1024, 2);
    expect(await remote.sum(transfer(buffer, [buffer]))).toBe(2048);
    expect(buffer.byteLength).toBe(0);
  });

  it('without transfer() an argument is copied', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    const buffer = bytes(16, 1);
    expect(await remote.sum(buffer)).toBe(16);
    expect(buffer.byteLength).toBe(16);
  });

  it("$call's transfer option moves what it lists", async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    const buffer = bytes(64, 3);
    expect(await remote.$call('sum', [buffer], { transfer: [buffer] })).toBe(192);
    expect(buffer.byteLength).toBe(0);
  });

  it('a handler moves its result back with transfer(); the marked object itself arrives', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    const result = await remote.make(32, 5);
    expect(new Uint8Array(result)).toEqual(new Uint8Array(32).fill(5));
    const wrapped = await remote.makeWrapped(8);
    expect(wrapped.name).toBe('payload');
    expect(wrapped.buffer.byteLength).toBe(8);
  });

  it('a buffer makes a round trip without a copy, both directions detached in turn', async () => {
    const { handlers, bounced } = api();
    const { remote } = pair(handlers);
    const buffer = bytes(16, 4);
    const back = await remote.bounce(transfer(buffer, [buffer]));
    expect(buffer.byteLength, 'the caller’s buffer, moved out with the call').toBe(0);
    expect(bounced, 'the buffer as the handler received it').toHaveLength(1);
    expect(bounced[0]!.byteLength, 'the handler’s buffer, moved back with the result').toBe(0);
    expect(back.byteLength).toBe(16);
    expect(new Uint8Array(back)).toEqual(new Uint8Array(16).fill(4));
  });

  it('notifications transfer too', async () => {
    const { handlers, received } = api();
    const { remote } = pair(handlers);
    const buffer = bytes(8, 1);
    remote.$notify('keep', transfer(buffer, [buffer]));
    await eventually(() => received.length === 1);
    expect(buffer.byteLength).toBe(0);
    expect(received[0]!.byteLength).toBe(8);
  });

  it('calls in one turn leave in one postMessage with the union of their transfer lists', async () => {
    const { handlers } = api();
    const { remote, port1 } = pair(handlers);
    await remote.sum(bytes(1, 0));
    const posts = recordPosts(port1);
    const a = bytes(4, 1);
    const b = bytes(4, 2);
    const c = bytes(4, 3);
    const sums = Promise.all([
      remote.sum(transfer(a, [a])),
      remote.sum(b),
      remote.$call('sum', [c], { transfer: [c] }),
    ]);
    expect(await sums).toEqual([4, 8, 12]);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.transfer).toHaveLength(2);
    expect(posts[0]!.transfer).toEqual(expect.arrayContaining([a, c]));
    expect([a.byteLength, b.byteLength, c.byteLength]).toEqual([0, 4, 0]);
  });

  it('a moved MessagePort carries a peer of its own', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    const { port1, port2 } = channel();
    expect(await remote.adopt(transfer(port2, [port2]))).toBe('adopted');
    const nested = peer<{ mul(a: number, b: number): number }>(port1);
    expect(await nested.remote.mul(6, 7)).toBe(42);
  });

  it('an uncloneable call in the same turn fails alone; a transferring call beside it still moves its buffer', async () => {
    const { handlers } = api();
    const { remote } = pair(handlers);
    await remote.sum(bytes(1, 0));
    const kept = bytes(8, 1);
    const bad = remote.sum((() => 'no') as never);
    const good = remote.sum(transfer(kept, [kept]));
    expect(await rejection(bad)).toBeInstanceOf(DataCloneError);
    expect(await good).toBe(8);
    expect(kept.byteLength).toBe(0);
  });

  it('a ReadableStream marked for transfer is moved as it is, not pulled item by item', async () => {
    const numbers = () =>
      new ReadableStream<number>({
        start(controller) {
          for (const value of [1, 2, 3]) controller.enqueue(value);
          controller.close();
        },
      });
    const readAll = async (stream: ReadableStream<number>) => {
      const values: number[] = [];
      const reader = stream.getReader();
      for (let r = await reader.read(); !r.done; r = await reader.read()) values.push(r.value);
      return values;
    };
    const { remote } = pair({
      take: async (stream: ReadableStream<number>) => [stream instanceof ReadableStream, await readAll(stream)],
      give() {
        const stream = numbers();
        return transfer(stream, [stream as unknown as Transferable]);
      },
    });
    const marked = numbers();
    expect(await remote.take(transfer(marked, [marked as unknown as Transferable]))).toEqual([true, [1, 2, 3]]);
    const listed = numbers();
    expect(await remote.$call('take', [listed], { transfer: [listed as unknown as Transferable] })).toEqual([true, [1, 2, 3]]);
    const given = (await remote.give()) as unknown;
    expect(given).toBeInstanceOf(ReadableStream);
    expect(await readAll(given as ReadableStream<number>)).toEqual([1, 2, 3]);
  });

  it('transfer() refuses a primitive', () => {
    expect(() => transfer(42 as never, [])).toThrow(TypeError);
  });

  it('moves buffers and ports to and from a worker thread', async () => {
    const thread = worker('unit.worker');
    const near = createNodePeer<UnitWorkerApi>(thread);
    onCleanup(() => near.close());
    const buffer = bytes(4096, 1);
    expect(await near.remote.byteLength(transfer(buffer, [buffer]))).toBe(4096);
    expect(buffer.byteLength).toBe(0);
    const made = await near.remote.makeBuffer(100);
    expect(new Uint8Array(made)[99]).toBe(9);
    const { port1, port2 } = channel();
    expect(await near.remote.adopt(transfer(port2, [port2]) as never)).toBe('adopted');
    const nested = peer<{ mul(a: number, b: number): number; where(): string }>(port1);
    expect(await nested.remote.mul(3, 5)).toBe(15);
    expect(await nested.remote.where()).toBe('worker via transferred port');
  });
});

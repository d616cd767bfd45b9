import { describe, expect, it } from 'vitest';
import { transfer } from '../../src/index';
import { members } from './support';

// BroadcastChannel clones and cannot transfer: asking to move something is an error at the
// caller, before anything is sent, never a silent copy.

const api = {
  size: (buffer: ArrayBuffer) => buffer.byteLength,
  note: (_buffer: ArrayBuffer) => {},
  /** Answers with a buffer marked for transfer, which the channel cannot move. */
  give: () => {
    const buffer = new ArrayBuffer(8);
    return transfer(buffer, [buffer]);
  },
};
type Api = typeof api;

describe('transfer over a BroadcastChannel group', () => {
  it('a call asking to transfer rejects with NO_TRANSFER and keeps the buffer; a copy still goes', async () => {
    const [a, b] = await members<Api>(2, { handlers: api });
    const buffer = new ArrayBuffer(16);
    await expect(a!.peer(b!.id).size(transfer(buffer, [buffer]))).rejects.toMatchObject({
      name: 'PortwireError',
      code: 'NO_TRANSFER',
      message: expect.stringContaining('a BroadcastChannel cannot transfer'),
    });
    await expect(a!.peer(b!.id).$call('size', [buffer], { transfer: [buffer] })).rejects.toMatchObject({ code: 'NO_TRANSFER' });
    expect(buffer.byteLength).toBe(16);
    expect(await a!.peer(b!.id).size(buffer)).toBe(16);
  });

  it('a notification asking to transfer throws synchronously, to one member or to all', async () => {
    const [a, b] = await members<Api>(2, { handlers: api });
    const buffer = new ArrayBuffer(16);
    expect(() => a!.peer(b!.id).$notify('note', transfer(buffer, [buffer]))).toThrow(expect.objectContaining({ code: 'NO_TRANSFER' }));
    expect(() => a!.notify('note', transfer(buffer, [buffer]))).toThrow(expect.objectContaining({ code: 'NO_TRANSFER' }));
    expect(buffer.byteLength).toBe(16);
  });

  it('callAll asking to transfer rejects as a whole, before any member is called', async () => {
    const [a] = await members<Api>(3, { handlers: api });
    const buffer = new ArrayBuffer(16);
    await expect(a!.callAll('size', [transfer(buffer, [buffer])])).rejects.toMatchObject({ code: 'NO_TRANSFER' });
    await expect(a!.callAll('size', [buffer], { transfer: [buffer] })).rejects.toMatchObject({ code: 'NO_TRANSFER' });
    expect(buffer.byteLength).toBe(16);
    const copied = await a!.callAll('size', [buffer]);
    expect(copied.map((entry) => entry.status === 'fulfilled' && entry.value)).toEqual([16, 16]);
  });

  it('a handler answering with a transfer fails that call with DataCloneError (where: result), never a copy', async () => {
    const [a, b] = await members<Api>(2, { handlers: api });
    const error = await a!.peer(b!.id).give().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'DataCloneError', where: 'result', method: 'give' });
    expect(await a!.peer(b!.id).size(new ArrayBuffer(4))).toBe(4);
  });
});

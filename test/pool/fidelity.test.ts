import { describe, expect, it } from 'vitest';
import { AbortError, DataCloneError, MethodNotFoundError, RemoteError, transfer, type Remote } from '../../src/index';
import { rejection, testPool } from './support';

// Through a pool, a call behaves as it does on one worker: errors keep their fidelity, context()
// sees the call, transfers move (and only when the call leaves the queue), per-call options apply.

describe('one worker’s semantics, through the pool', () => {
  it('a thrown error arrives as a RemoteError with its name, code and cause', async () => {
    const workers = await testPool({ size: 1 });
    const error = await rejection(workers.remote.fail());
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({ remoteName: 'RangeError', message: 'too big', code: 'E_TOO_BIG', cause: { limit: 10 } });
    expect(await rejection((workers.remote as unknown as Remote<any>).$call('nope', []))).toBeInstanceOf(MethodNotFoundError);
    expect(workers.stats.workers[0]!.inFlight, 'failures free the slot').toBe(0);
  });

  it('context() in the worker sees the method and arguments', async () => {
    const workers = await testPool({ size: 1 });
    expect(await workers.remote.ctx(1, 'two', { three: 3 })).toMatchObject({ method: 'ctx', args: [1, 'two', { three: 3 }], aborted: false });
  });

  it('transfer moves a buffer both ways; a waiting call moves it only when it leaves the queue', async () => {
    const workers = await testPool({ size: 1 });
    const buffer = new Uint8Array([21, 1, 2]).buffer;
    const back = await workers.remote.double(transfer(buffer, [buffer]));
    expect(buffer.byteLength, 'moved, not copied').toBe(0);
    expect([...new Uint8Array(back)]).toEqual([42, 1, 2]);

    const busy = workers.remote.spin(200);
    const queued = new Uint8Array([5]).buffer;
    const controller = new AbortController();
    const withdrawn = workers.remote.$call('double', [queued], { transfer: [queued], signal: controller.signal });
    const waiting = new Uint8Array([7]).buffer;
    const later = workers.remote.$call('double', [waiting], { transfer: [waiting] });
    expect(waiting.byteLength, 'still here while the call waits').toBe(1);
    controller.abort();
    expect(await rejection(withdrawn)).toBeInstanceOf(AbortError);
    expect(queued.byteLength, 'an aborted waiting call moved nothing').toBe(1);
    expect([...new Uint8Array(await later)]).toEqual([14]);
    expect(waiting.byteLength).toBe(0);
    await busy;
  });

  it('an argument that cannot be cloned rejects with DataCloneError and frees the slot', async () => {
    const workers = await testPool({ size: 1 });
    const error = await rejection(workers.remote.$call('ctx', [{ f: () => 1 }] as never));
    expect(error).toBeInstanceOf(DataCloneError);
    expect(await workers.remote.whoami()).toMatch(/^thread/);
  });

  it('$call takes the per-call window of a stream', async () => {
    const workers = await testPool({ size: 1 });
    const items = [];
    for await (const tile of workers.remote.$call('tiles', [10, 0], { window: 2 })) items.push(tile.i);
    expect(items).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await expect(workers.remote.$call('tiles', [1, 0], { window: 0 })).rejects.toThrow(RangeError);
  });
});

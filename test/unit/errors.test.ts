import { afterEach, describe, expect, it } from 'vitest';
import {
  context,
  DataCloneError,
  isPortwireError,
  MethodNotFoundError,
  PortwireError,
  RemoteError,
} from '../../src/index';
import { createPeer } from '../../src/node/index';
import type { UnitWorkerApi } from '../fixtures/unit.worker';
import { closeAll, onCleanup, pair, rejection, worker } from './helpers';

afterEach(closeAll);

class ValidationError extends Error {
  field = 'email';
  details = { min: 3, seen: [1, 2] };
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ValidationError';
    (this as unknown as { code: string }).code = 'E_VALIDATION';
  }
}

const api = {
  throwsValidation(): never {
    throw new ValidationError('email too short', { cause: new RangeError('length 2 < 3', { cause: new Error('root') }) });
  },
  async rejectsValidation(): Promise<never> {
    await Promise.resolve();
    throw new ValidationError('email too short');
  },
  throwsBuiltin(): unknown {
    return JSON.parse('{ not json');
  },
  throwsNumericCode(): never {
    throw Object.assign(new Error('disk full'), { code: 28 });
  },
  throwsValue(value: unknown): never {
    throw value;
  },
  throwsWithValueCause(cause: unknown): never {
    throw new Error('wrapped', { cause });
  },
  async throwsUnreadable(): Promise<never> {
    const error = new Error('unreadable');
    Object.defineProperty(error, 'name', { get: () => { throw new Error('no name for you'); } });
    throw error;
  },
  uncloneableResult: () => ({ callback: () => 1 }),
  uncloneableErrorData(): never {
    throw Object.assign(new Error('has a function'), { retry: () => {} });
  },
  echo: <T>(value: T) => value,
  /** Calls back a method the caller does not have, and lets that failure escape. */
  async callsMissing() {
    const { remote } = context<{ missing(): Promise<void> }>();
    await remote.missing();
  },
};

describe('errors', () => {
  it('a thrown Error arrives as RemoteError: a PortwireError with REMOTE_ERROR and JSON-RPC -32000', async () => {
    const { remote } = pair(api);
    const error = await rejection(remote.throwsBuiltin());
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toBeInstanceOf(PortwireError);
    expect(error).toBeInstanceOf(Error);
    expect(isPortwireError(error)).toBe(true);
    expect(error.name).toBe('RemoteError');
    expect(error.code).toBe('REMOTE_ERROR');
    expect(error.rpcCode).toBe(-32000);
  });

  it("keeps the thrown error's name, message, code and own data properties", async () => {
    const { remote } = pair(api);
    const error: RemoteError = await rejection(remote.throwsValidation());
    expect(error.message).toBe('email too short');
    expect(error.remoteName).toBe('ValidationError');
    expect(error.remoteCode).toBe('E_VALIDATION');
    expect(error.data).toEqual({ field: 'email', details: { min: 3, seen: [1, 2] } });
    const numeric: RemoteError = await rejection(remote.throwsNumericCode());
    expect(numeric.remoteCode).toBe(28);
  });

  it("a thrown string code is the error's code, so `e.code === 'E_VALIDATION'` matches on this side too", async () => {
    const { remote } = pair(api);
    const error: RemoteError = await rejection(remote.throwsValidation());
    expect(error.code).toBe('E_VALIDATION');
    expect(error).toBeInstanceOf(RemoteError);
    expect(isPortwireError(error)).toBe(true);
    // Anything but a non-empty string leaves the code ours; the thrown value stays in remoteCode.
    const numeric: RemoteError = await rejection(remote.throwsNumericCode());
    expect([numeric.code, numeric.remoteCode]).toEqual(['REMOTE_ERROR', 28]);
  });

  it('keeps the remote stack, and appends it to the local one', async () => {
    const { remote } = pair(api);
    const error: RemoteError = await rejection(remote.throwsValidation());
    expect(error.remoteStack).toContain('email too short');
    expect(error.remoteStack).toContain('throwsValidation');
    expect(error.stack).toContain('--- remote');
    expect(error.stack).toContain('throwsValidation');
  });

  it('rebuilds the cause chain as RemoteErrors', async () => {
    const { remote } = pair(api);
    const error: RemoteError = await rejection(remote.throwsValidation());
    const cause = error.cause as RemoteError;
    expect(cause).toBeInstanceOf(RemoteError);
    expect([cause.remoteName, cause.message]).toEqual(['RangeError', 'length 2 < 3']);
    const root = cause.cause as RemoteError;
    expect([root.remoteName, root.message]).toEqual(['Error', 'root']);
    expect('cause' in root).toBe(false);
  });

  it('an error whose properties throw when read still answers the caller', async () => {
    const { remote } = pair(api);
    const error = (await rejection(remote.$call('throwsUnreadable', [], { timeout: 2000 }))) as RemoteError;
    expect(error).toBeInstanceOf(RemoteError);
    expect(error.message).toContain('could not be read');
  });

  it('a cause that is not an Error comes back as the value itself', async () => {
    const { remote } = pair(api);
    const text = (await rejection(remote.throwsWithValueCause('low disk'))) as RemoteError;
    expect(text.cause).toBe('low disk');
    const data = (await rejection(remote.throwsWithValueCause({ retryIn: 5 }))) as RemoteError;
    expect(data.cause).toEqual({ retryIn: 5 });
    const none = (await rejection(remote.throwsWithValueCause(undefined))) as RemoteError;
    expect(none.cause).toBeUndefined();
  });

  it('a rejected promise arrives the same as a synchronous throw', async () => {
    const { remote } = pair(api);
    const error: RemoteError = await rejection(remote.rejectsValidation());
    expect([error.remoteName, error.message, error.remoteCode]).toEqual(['ValidationError', 'email too short', 'E_VALIDATION']);
  });

  it('built-in errors keep their class name', async () => {
    const { remote } = pair(api);
    const error: RemoteError = await rejection(remote.throwsBuiltin());
    expect(error.remoteName).toBe('SyntaxError');
    expect(error.message).toMatch(/JSON/);
  });

  it.each([
    ['a string', 'just a string'],
    ['a number', 42],
    ['an object', { reason: 'nope', at: [1, 2] }],
    ['null', null],
    ['undefined', undefined],
  ])('a thrown non-Error (%s) arrives as RemoteError carrying the value', async (_, value) => {
    const { remote } = pair(api);
    const error: RemoteError = await rejection(remote.throwsValue(value));
    expect(error).toBeInstanceOf(RemoteError);
    expect(error.value).toEqual(value);
    expect(error.message).toContain('non-Error');
  });

  it('an unknown method is MethodNotFoundError naming it, with METHOD_NOT_FOUND and -32601', async () => {
    const { remote } = pair(api);
    for (const name of ['nope', 'echo.nope', 'nested.path.nope']) {
      const error = await rejection(remote.$call(name as never, [] as never));
      expect(error).toBeInstanceOf(MethodNotFoundError);
      expect(error).toMatchObject({ method: name, code: 'METHOD_NOT_FOUND', rpcCode: -32601 });
    }
  });

  it("a handler's own failed callback is a RemoteError, not MethodNotFoundError of the outer call", async () => {
    const { remote } = pair(api, { near: { handlers: {} } });
    const error: RemoteError = await rejection(remote.callsMissing());
    expect(error).toBeInstanceOf(RemoteError);
    expect(error.remoteName).toBe('MethodNotFoundError');
    expect(error.message).toContain('missing');
  });

  it('an uncloneable argument is DataCloneError (argument, -32602) naming the method', async () => {
    const { remote } = pair(api);
    const error = await rejection(remote.echo(Symbol('nope')));
    expect(error).toBeInstanceOf(DataCloneError);
    expect(error).toMatchObject({ method: 'echo', where: 'argument', code: 'DATA_CLONE', rpcCode: -32602 });
  });

  it('an uncloneable result is DataCloneError (result, -32603)', async () => {
    const { remote } = pair(api);
    const error = await rejection(remote.uncloneableResult());
    expect(error).toBeInstanceOf(DataCloneError);
    expect(error).toMatchObject({ method: 'uncloneableResult', where: 'result', rpcCode: -32603 });
  });

  it('an error with uncloneable data is DataCloneError (error)', async () => {
    const { remote } = pair(api);
    const error = await rejection(remote.uncloneableErrorData());
    expect(error).toBeInstanceOf(DataCloneError);
    expect(error).toMatchObject({ method: 'uncloneableErrorData', where: 'error' });
  });

  it('an uncloneable call fails alone: calls in the same batch still answer', async () => {
    const { remote } = pair(api);
    await remote.echo('handshake');
    const before = remote.echo('before');
    const bad = remote.echo(() => 'no');
    const after = remote.echo('after');
    expect(await rejection(bad)).toBeInstanceOf(DataCloneError);
    expect(await Promise.all([before, after])).toEqual(['before', 'after']);
  });

  it('an uncloneable result fails alone: results in the same batch still arrive', async () => {
    const { remote } = pair(api);
    await remote.echo('handshake');
    const results = await Promise.allSettled([remote.echo(1), remote.uncloneableResult(), remote.echo(3)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('errors thrown in a worker thread arrive with the same fidelity', async () => {
    const thread = worker('unit.worker');
    const peer = createPeer<UnitWorkerApi>(thread);
    onCleanup(() => peer.close());
    const error: RemoteError = await rejection(peer.remote.fail('from the thread'));
    expect(error).toBeInstanceOf(RemoteError);
    expect([error.remoteName, error.message, error.remoteCode]).toEqual(['TypeError', 'from the thread', 'E_WORKER']);
    expect(error.data).toEqual({ detail: { at: 'worker' } });
    expect(error.remoteStack).toContain('fail');
    const missing = await rejection(peer.remote.$call('nope' as never, [] as never));
    expect(missing).toBeInstanceOf(MethodNotFoundError);
  });
});

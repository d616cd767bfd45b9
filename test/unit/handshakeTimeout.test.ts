import { afterEach, describe, expect, it } from 'vitest';
import { TimeoutError } from '../../src/index';
import { channel, closeAll, pair, peer, rejection } from './helpers';

afterEach(closeAll);

describe('a call that times out', () => {
  it('before any handshake says that nothing answered, naming the other side', async () => {
    // Nobody listens on port2: the call can never be answered.
    const near = peer<{ add(a: number, b: number): number }>(channel().port1);
    const error = await rejection(near.remote.$call('add', [1, 2], { timeout: 30 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toBe(
      'portwire: call to "add" timed out after 30 ms: no handshake arrived from the other side (is portwire listening there?)',
    );
  });

  it('after the handshake is a plain timeout', async () => {
    const { remote } = pair({ never: () => new Promise(() => {}), ping: () => 1 });
    await remote.ping();
    const error = await rejection(remote.$call('never', [], { timeout: 30 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toBe('portwire: call to "never" timed out after 30 ms');
  });
});

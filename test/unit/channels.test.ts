import { afterEach, describe, expect, it } from 'vitest';
import { PeerClosedError, TimeoutError } from '../../src/index';
import { createPeer } from '../../src/node/index';
import type { UnitWorkerApi } from '../fixtures/unit.worker';
import { channel, closeAll, eventually, onCleanup, peer, rejection, sleep, worker } from './helpers';

afterEach(closeAll);

type Api = { name(): string; add(a: number, b: number): number };
const named = (name: string): Api => ({ name: () => name, add: (a, b) => a + b });

describe('channels', () => {
  it('peers on different channels share one port, each reaching only its own counterpart', async () => {
    const { port1, port2 } = channel();
    peer(port2, { channel: 'images', handlers: named('far images') });
    peer(port2, { channel: 'audio', handlers: named('far audio') });
    peer(port2, { handlers: named('far unnamed') });
    const images = peer<Api>(port1, { channel: 'images' });
    const audio = peer<Api>(port1, { channel: 'audio' });
    const unnamed = peer<Api>(port1);
    const names = await Promise.all([images.remote.name(), audio.remote.name(), unnamed.remote.name()]);
    expect(names).toEqual(['far images', 'far audio', 'far unnamed']);
  });

  it('a peer ignores traffic of other channels, and of the unnamed channel', async () => {
    const { port1, port2 } = channel();
    peer(port2, { channel: 'b', handlers: named('b') });
    peer(port2, { handlers: named('unnamed') });
    const a = peer<Api>(port1, { channel: 'a', timeout: 50 });
    expect(await rejection(a.remote.name())).toBeInstanceOf(TimeoutError);
  });

  it('the unnamed channel ignores named traffic', async () => {
    const { port1, port2 } = channel();
    peer(port2, { channel: 'named', handlers: named('named') });
    const unnamed = peer<Api>(port1, { timeout: 50 });
    expect(await rejection(unnamed.remote.name())).toBeInstanceOf(TimeoutError);
  });

  it('each channel shakes hands on its own: a late counterpart on one does not hold up another', async () => {
    const { port1, port2 } = channel();
    peer(port2, { channel: 'early', handlers: named('early') });
    const early = peer<Api>(port1, { channel: 'early' });
    const late = peer<Api>(port1, { channel: 'late' });
    const lateCall = late.remote.name();
    expect(await early.remote.name()).toBe('early');
    await sleep(20);
    peer(port2, { channel: 'late', handlers: named('late') });
    expect(await lateCall).toBe('late');
  });

  it('closing the peer of one channel leaves the others working', async () => {
    const { port1, port2 } = channel();
    const farA = peer(port2, { channel: 'a', handlers: named('a') });
    peer(port2, { channel: 'b', handlers: named('b') });
    const a = peer<Api>(port1, { channel: 'a' });
    const b = peer<Api>(port1, { channel: 'b' });
    await Promise.all([a.remote.name(), b.remote.name()]);
    a.close();
    await eventually(() => farA.closed);
    expect(await rejection(a.remote.name())).toBeInstanceOf(PeerClosedError);
    expect(await b.remote.name()).toBe('b');
    expect(b.closed).toBe(false);
  });

  it('the port closing closes the peers of every channel on it', async () => {
    const { port1, port2 } = channel();
    peer(port2, { channel: 'a', handlers: named('a') });
    peer(port2, { channel: 'b', handlers: named('b') });
    const a = peer<Api>(port1, { channel: 'a' });
    const b = peer<Api>(port1, { channel: 'b' });
    await Promise.all([a.remote.name(), b.remote.name()]);
    port1.close();
    await eventually(() => a.closed && b.closed);
  });

  it('channels work across a worker thread', async () => {
    const thread = worker('unit.worker', { channels: ['left', 'right'] });
    const left = createPeer<UnitWorkerApi>(thread, { channel: 'left' });
    const right = createPeer<UnitWorkerApi>(thread, { channel: 'right' });
    onCleanup(() => {
      left.close();
      right.close();
    });
    expect(await Promise.all([left.remote.whoami(), right.remote.whoami()])).toEqual(['left', 'right']);
    expect(await left.remote.add(1, 2)).toBe(3);
  });
});

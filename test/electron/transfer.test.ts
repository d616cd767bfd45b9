import { describe, expect, it } from 'vitest';
import { createPeer, expose, transfer, type Peer } from '../../src/index';
import { mainEndpoint } from '../../src/electron/mainEndpoint';
import { parentEndpoint } from '../../src/electron/parentEndpoint';
import { portEndpoint } from '../../src/electron/portEndpoint';
import { rendererEndpoint } from '../../src/electron/rendererEndpoint';
import { utilityEndpoint } from '../../src/electron/utilityEndpoint';
import { FakeChannelMain } from './fakePorts';
import { FakeUtilityProcess } from './fakeUtility';
import { electron, onCleanup, openWindow } from './setup';

interface Api {
  size(buffer: ArrayBuffer): number;
  log(buffer: ArrayBuffer): void;
  give(): ArrayBuffer;
  items(): AsyncGenerator<ArrayBuffer>;
}
const api = {
  size: (buffer: ArrayBuffer) => buffer.byteLength,
  log: () => {},
  give: () => {
    const buffer = new ArrayBuffer(4);
    return transfer(buffer, [buffer]);
  },
  async *items() {
    const buffer = new ArrayBuffer(4);
    yield transfer(buffer, [buffer]);
  },
};

/** A connected pair: `near` calls `far`, which answers with `api`. */
function pair(near: Parameters<typeof createPeer>[0], far: Parameters<typeof createPeer>[0]): Peer<Api> {
  const farPeer = expose(api, far);
  const nearPeer = createPeer<Api>(near);
  onCleanup(() => (nearPeer.close(), farPeer.close()));
  return nearPeer;
}

/** What every side whose link crosses main must do with a transfer of a buffer. */
async function refusesBuffers(peer: Peer<Api>, message: RegExp): Promise<void> {
  const buffer = new ArrayBuffer(8);
  const error = await peer.remote.size(transfer(buffer, [buffer])).catch((e: unknown) => e);
  expect(error).toMatchObject({ name: 'PortwireError', code: 'NO_TRANSFER' });
  expect((error as Error).message).toMatch(message);
  expect(buffer.byteLength).toBe(8);
  expect(() => peer.remote.$notify('log', transfer(buffer, [buffer]))).toThrow(message);
  // A copy still goes.
  expect(await peer.remote.size(buffer)).toBe(8);
}

/** A buffer the far side transfers back cannot be sent: the caller hears why, as a DataCloneError. */
async function failsTransferredAnswers(peer: Peer<Api>): Promise<void> {
  const result = await peer.remote.give().catch((e: unknown) => e);
  expect(result).toMatchObject({ name: 'DataCloneError', where: 'result' });
  const item = await (async () => {
    for await (const _ of peer.remote.items());
  })().catch((e: unknown) => e);
  expect(item).toMatchObject({ name: 'DataCloneError', where: 'item' });
}

describe('transfers through Electron main are refused at the caller', () => {
  it('main → renderer: NO_TRANSFER for an ArrayBuffer; the renderer cannot transfer one back', async () => {
    const { contents, doc } = openWindow();
    const main = pair(rendererEndpoint(contents, { electron }), mainEndpoint({ window: doc.window as never }));
    await main.remote.size(new ArrayBuffer(1));
    await refusesBuffers(main, /can transfer only MessagePorts/);
    await failsTransferredAnswers(main);
  });

  it('renderer → main: NO_TRANSFER once the port is there, a failed call (nothing moved) before', async () => {
    const { contents, doc } = openWindow();
    const page = pair(mainEndpoint({ window: doc.window as never }), rendererEndpoint(contents, { electron }));
    // Asked before the hand-over says who is on the other end: the send refuses it instead.
    const early = new ArrayBuffer(8);
    const error = await page.remote.size(transfer(early, [early])).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'DataCloneError', where: 'argument' });
    expect(String((error as Error & { cause?: Error }).cause?.message)).toMatch(/can transfer only MessagePorts/);
    expect(early.byteLength).toBe(8);
    await refusesBuffers(page, /the main process.*can transfer only MessagePorts/);
    await failsTransferredAnswers(page);
  });

  it('main → utility process: only ports; the child (parentPort) cannot transfer anything', async () => {
    const child = new FakeUtilityProcess();
    onCleanup(() => child.kill());
    await refusesBuffers(pair(utilityEndpoint(child), parentEndpoint(child.parentPort)), /utility process.*can transfer only MessagePorts/);
    const other = new FakeUtilityProcess();
    onCleanup(() => other.kill());
    const fromChild = pair(parentEndpoint(other.parentPort), utilityEndpoint(other));
    await refusesBuffers(fromChild, /process\.parentPort.*cannot transfer/);
    await failsTransferredAnswers(fromChild);
  });

  it('parentPort refuses even a port, saying why; main-side transports let MessagePortMain through', () => {
    const child = new FakeUtilityProcess();
    onCleanup(() => child.kill());
    const { port1, port2 } = new FakeChannelMain();
    onCleanup(() => port1.close());
    expect(() => parentEndpoint(child.parentPort).checkTransfer!([port2 as never])).toThrow(/process\.parentPort\.postMessage takes no transfer list/);
    const main = [utilityEndpoint(child), portEndpoint(new FakeChannelMain().port1)];
    for (const transport of main) {
      expect(() => transport.checkTransfer!([port2 as never])).not.toThrow();
      expect(() => transport.checkTransfer!([new ArrayBuffer(1)])).toThrow(/ArrayBuffer/);
    }
  });
});

import type { MessagePort } from 'node:worker_threads';
import { describe } from 'vitest';
import { createPeer, expose } from '../../src/index';
import { mainEndpoint } from '../../src/electron/mainEndpoint';
import { rendererEndpoint } from '../../src/electron/rendererEndpoint';
import { createFixtureApi, type FixtureApi } from '../contracts/fixtureApi';
import { eventually, nearHandlers, type HarnessFactory } from '../contracts/harness';
import { FakeChannelMain } from './fakePorts';
import { electron, openWindow } from './setup';
import { runElectronContract } from './runElectronContract';

const NO_TRANSFER = "through Electron's main process only MessagePorts transfer (see transfer.test.ts)";

// Main is the near side: it exposes nothing the far side needs but NearApi, and calls the page.
const mainCallsPage: HarnessFactory = async (options) => {
  const { contents, doc } = openWindow();
  let pagePort: MessagePort | undefined;
  doc.window.addEventListener('message', (event) => void (pagePort ??= (event as MessageEvent).ports[0] as never));
  const far = expose(createFixtureApi(), mainEndpoint({ window: doc.window as never }));
  const peer = createPeer<FixtureApi>(rendererEndpoint(contents, { electron }), { handlers: nearHandlers, ...options });
  await eventually(() => pagePort !== undefined, 3000, 'the hand-over');
  return {
    peer,
    postRaw: (data) => pagePort!.postMessage(data),
    kill: () => contents.crash(),
    dispose: () => {
      peer.close();
      far.close();
      if (!contents.isDestroyed()) contents.destroy();
    },
  };
};

// The page is the near side and calls main.
const pageCallsMain: HarnessFactory = async (options) => {
  const { contents, doc } = openWindow();
  const made: FakeChannelMain[] = [];
  class Recording extends FakeChannelMain {
    constructor() {
      super();
      made.push(this);
    }
  }
  const far = expose(createFixtureApi(), rendererEndpoint(contents, { electron: { ...electron, MessageChannelMain: Recording } }));
  const peer = createPeer<FixtureApi>(mainEndpoint({ window: doc.window as never }), { handlers: nearHandlers, ...options });
  await eventually(() => made.length > 0, 3000, 'the hand-over');
  return {
    peer,
    postRaw: (data) => made[0]!.port1.postMessage(data),
    // Main's end of the channel goes away without a goodbye.
    kill: () => made[0]!.port1.close(),
    dispose: () => {
      peer.close();
      far.close();
      if (!contents.isDestroyed()) contents.destroy();
    },
  };
};

describe('contract: Electron main → renderer (rendererEndpoint ↔ mainEndpoint)', () => runElectronContract(mainCallsPage, NO_TRANSFER));
describe('contract: Electron renderer → main (mainEndpoint ↔ rendererEndpoint)', () => runElectronContract(pageCallsMain, NO_TRANSFER));

import { MessageChannel } from 'node:worker_threads';
import { describe } from 'vitest';
import { createPeer, expose } from '../../src/index';
import { createFixtureApi, type FixtureApi } from './fixtureApi';
import { nearHandlers, type HarnessFactory } from './harness';
import { runContract } from './runContract';

// Node's real MessageChannel, used through the structural endpoint adapter (addEventListener).
const make: HarnessFactory = async (options) => {
  const { port1, port2 } = new MessageChannel();
  const far = expose(createFixtureApi(), port2 as never);
  const peer = createPeer<FixtureApi>(port1 as never, { handlers: nearHandlers, ...options });
  const closeAll = () => {
    peer.close();
    far.close();
    port1.close();
    port2.close();
  };
  return { peer, postRaw: (data) => port2.postMessage(data), kill: () => port2.close(), dispose: closeAll };
};

describe('contract: MessagePort (node:worker_threads MessageChannel)', () => runContract(make));

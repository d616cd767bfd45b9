import { describe } from 'vitest';
import { createPeer } from '../../src/node/index';
import { startWorker } from '../fixtures/nodeWorker';
import type { FixtureApi } from './fixtureApi';
import { nearHandlers, type HarnessFactory } from './harness';
import { runContract } from './runContract';

// A real worker thread running the fixture API through portwire/node.
const make: HarnessFactory = async (options) => {
  const worker = startWorker('api.worker');
  const peer = createPeer<FixtureApi>(worker, { handlers: nearHandlers, ...options });
  return {
    peer,
    postRaw: (data) => worker.postMessage({ echo: data }),
    kill: () => worker.terminate().then(() => undefined),
    dispose: async () => {
      peer.close();
      await worker.terminate();
    },
  };
};

describe('contract: worker_threads Worker', () => runContract(make));

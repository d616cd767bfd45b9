import { createPeer } from '../../src/index';
import type { FixtureApi } from '../../test/contracts/fixtureApi';
import { nearHandlers, type HarnessFactory } from '../../test/contracts/harness';

/**
 * One client connection to a SharedWorker that all harnesses of the page share, as tabs of one
 * app would; each connection has its own fixture state on the far side.
 */
export const sharedWorkerHarness: HarnessFactory = async (options) => {
  const worker = new SharedWorker(new URL('./fixture.shared.ts', import.meta.url), {
    type: 'module',
    name: 'portwire-contract',
  });
  const { port } = worker;
  const peer = createPeer<FixtureApi>(port, { handlers: nearHandlers, ...options });
  return {
    peer,
    postRaw: (data) => port.postMessage({ echo: data }),
    kill: () => port.postMessage({ kill: true }),
    dispose: () => {
      peer.close();
      // Lets the shared worker drop this client's port and peer even if 'close' never fires there.
      port.postMessage({ kill: true });
      port.close();
    },
  };
};

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
  // What escapes in the SharedWorker (see fixture.shared.ts) is thrown here, uncaught, so it
  // reaches the page's 'pageerror' like an error of the page's own. Registered before the peer,
  // which ignores such messages.
  port.addEventListener('message', (event: MessageEvent<{ escaped?: unknown }>) => {
    const data = event.data;
    if (data && typeof data === 'object' && !Array.isArray(data) && typeof data.escaped === 'string') throw new Error(data.escaped);
  });
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

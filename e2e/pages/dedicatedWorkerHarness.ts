import { createPeer } from '../../src/index';
import type { FixtureApi } from '../../test/contracts/fixtureApi';
import { nearHandlers, type HarnessFactory } from '../../test/contracts/harness';

/** A fresh dedicated module worker per harness; killing it is `terminate()`. */
export const dedicatedWorkerHarness: HarnessFactory = async (options) => {
  const worker = new Worker(new URL('./fixture.worker.ts', import.meta.url), { type: 'module' });
  // Resolves once the worker has said anything, i.e. its script has loaded and run `expose`.
  const started = new Promise<void>((resolve) => worker.addEventListener('message', () => resolve(), { once: true }));
  const peer = createPeer<FixtureApi>(worker, { handlers: nearHandlers, ...options });
  return {
    peer,
    postRaw: (data) => worker.postMessage({ echo: data }),
    // "The far side going away" means a running worker dies, so wait until it runs: on a busy
    // machine the module may still be loading when the case kills it. A terminated Worker fires
    // no event; the near peer notices through its heartbeat.
    kill: async () => {
      await started;
      worker.terminate();
    },
    dispose: () => {
      peer.close();
      worker.terminate();
    },
  };
};

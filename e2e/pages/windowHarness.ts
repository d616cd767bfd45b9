import { createPeer, windowEndpoint } from '../../src/index';
import type { FixtureApi } from '../../test/contracts/fixtureApi';
import { nearHandlers, type HarnessFactory } from '../../test/contracts/harness';

/** The contract fixture's origin: the same dev server under its other name, so it is cross-origin. */
const CHILD = location.origin.replace('localhost', '127.0.0.1');

/**
 * A fresh cross-origin iframe per harness, running window.fixture.ts. The near peer is made as
 * soon as the iframe is in the document, before its document runs (the other orders are in
 * windows.spec.ts). Killing it removes the iframe: its document unloads and says goodbye on the port.
 */
export const windowHarness: HarnessFactory = async (options) => {
  const frame = document.createElement('iframe');
  frame.src = `${CHILD}/e2e/pages/window.fixture.html?${new URLSearchParams({ to: location.origin })}`;
  const started = new Promise<void>((resolve) => {
    const onMessage = (event: MessageEvent) => {
      if (event.source !== frame.contentWindow || !(event.data as { pwtestLoaded?: unknown } | null)?.pwtestLoaded) return;
      removeEventListener('message', onMessage);
      resolve();
    };
    addEventListener('message', onMessage);
  });
  document.body.append(frame);
  const peer = createPeer<FixtureApi>(windowEndpoint(frame.contentWindow!, { targetOrigin: CHILD }), { handlers: nearHandlers, ...options });
  return {
    peer,
    postRaw: (data) => frame.contentWindow?.postMessage({ echo: data }, CHILD),
    kill: async () => {
      await started;
      frame.remove();
    },
    dispose: () => {
      peer.close();
      frame.remove();
    },
  };
};

import type { MessagePort } from 'node:worker_threads';
import { describe } from 'vitest';
import { createPeer, expose } from '../../src/index';
import { brokerPorts } from '../../src/electron/brokerPorts';
import { mainEndpoint } from '../../src/electron/mainEndpoint';
import { createFixtureApi, type FixtureApi } from '../contracts/fixtureApi';
import { eventually, nearHandlers, type HarnessFactory } from '../contracts/harness';
import { electron, onCleanup, openWindow } from './setup';
import { runElectronContract } from './runElectronContract';

// Two windows linked by main with brokerPorts: DOM ports straight between the renderers, so the
// whole contract runs, transfers included.
const make: HarnessFactory = async (options) => {
  const a = openWindow('app://app/editor.html');
  const b = openWindow('app://app/preview.html');
  let farPort: MessagePort | undefined;
  b.doc.window.addEventListener('message', (event) => void (farPort ??= (event as MessageEvent).ports[0] as never));
  const cancel = brokerPorts(a.contents, b.contents, { channel: 'peer', electron });
  onCleanup(cancel);
  const far = expose(createFixtureApi(), mainEndpoint({ window: b.doc.window as never, channel: 'peer' }));
  const peer = createPeer<FixtureApi>(mainEndpoint({ window: a.doc.window as never, channel: 'peer' }), { handlers: nearHandlers, ...options });
  await eventually(() => farPort !== undefined, 3000, 'the hand-over');
  return {
    peer,
    postRaw: (data) => farPort!.postMessage(data),
    // The other window is closed: its document goes, and the browser closes its ports.
    kill: () => b.contents.destroy(),
    dispose: () => {
      peer.close();
      far.close();
    },
  };
};

describe('contract: Electron renderer ↔ renderer (brokerPorts, both mainEndpoint)', () => runElectronContract(make));

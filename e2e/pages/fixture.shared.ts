import { expose } from '../../src/index';
import { createFixtureApi } from '../../test/contracts/fixtureApi';

// The far side of the contract suite in a SharedWorker: every client port gets its own fixture
// API, so clients sharing this worker never see each other's state.
addEventListener('connect', (event) => {
  const port = (event as MessageEvent).ports[0]!;
  const peer = expose(createFixtureApi(), port);
  port.addEventListener('message', (message: MessageEvent<{ echo?: unknown; kill?: boolean }>) => {
    const data = message.data;
    if (!data || typeof data !== 'object') return;
    // Test hook: `{ echo: data }` comes straight back, so a test can put raw data on the wire.
    if ('echo' in data) port.postMessage(data.echo);
    // Test hook: `{ kill: true }` makes this client's far side vanish without a word, the way a
    // crashed or unloaded owner would. The port closes first so the peer's goodbye goes nowhere.
    if (data.kill) {
      port.close();
      peer.close();
    }
  });
});

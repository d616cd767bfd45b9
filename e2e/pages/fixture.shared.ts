import { expose } from '../../src/index';
import { createFixtureApi } from '../../test/contracts/fixtureApi';

// The far side of the contract suite in a SharedWorker: every client port gets its own fixture
// API, so clients sharing this worker never see each other's state.

// A SharedWorker's uncaught errors and unhandled rejections reach no page, so they are sent to
// every client as `{ escaped }`, and the client's harness rethrows them where Playwright sees them.
const clients = new Set<MessagePort>();
const report = (text: string) => {
  for (const port of clients) port.postMessage({ escaped: text });
};
addEventListener('error', (event) => report(`SharedWorker error: ${(event as ErrorEvent).message}`));
addEventListener('unhandledrejection', (event) => {
  const reason = (event as PromiseRejectionEvent).reason;
  report(`SharedWorker unhandledrejection: ${reason instanceof Error ? reason.stack : String(reason)}`);
});

addEventListener('connect', (event) => {
  const port = (event as MessageEvent).ports[0]!;
  clients.add(port);
  const peer = expose(createFixtureApi(), port);
  port.addEventListener('message', (message: MessageEvent<{ echo?: unknown; kill?: boolean }>) => {
    const data = message.data;
    if (!data || typeof data !== 'object') return;
    // Test hook: `{ echo: data }` comes straight back, so a test can put raw data on the wire.
    if ('echo' in data) port.postMessage(data.echo);
    // Test hook: `{ kill: true }` makes this client's far side vanish without a word, the way a
    // crashed or unloaded owner would. The port closes first so the peer's goodbye goes nowhere.
    if (data.kill) {
      clients.delete(port);
      port.close();
      peer.close();
    }
  });
});

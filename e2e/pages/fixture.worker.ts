import { expose } from '../../src/index';
import { createFixtureApi } from '../../test/contracts/fixtureApi';

// The far side of the contract suite in a dedicated module worker, on the worker's own scope.
expose(createFixtureApi());

// Test hook: `{ echo: data }` comes straight back, so a test can put raw (hostile) data on the wire.
addEventListener('message', (event) => {
  const message = (event as MessageEvent<{ echo?: unknown }>).data;
  if (message && typeof message === 'object' && 'echo' in message) postMessage(message.echo);
});

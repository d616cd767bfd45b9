import { expose, windowEndpoint } from '../../src/index';
import { createFixtureApi } from '../../test/contracts/fixtureApi';

// The far side of the contract suite in a cross-origin iframe, over windowEndpoint to its parent
// (whose origin comes as `?to=`). Each harness loads its own iframe, so each gets fresh state.
const parentOrigin = new URLSearchParams(location.search).get('to')!;
const endpoint = windowEndpoint(window.parent, { targetOrigin: parentOrigin });
expose(createFixtureApi(), endpoint);

const tell = (data: unknown) => window.parent.postMessage(data, parentOrigin);

// What escapes here needs no forwarding: Playwright reports a cross-origin iframe's uncaught
// errors and unhandled rejections as the page's 'pageerror' too.

// Test hook: `{ echo: data }` from the parent comes straight back twice, as a hostile sender would
// put it on the wire: raw on the private port (to the peer's guards) and raw on window.postMessage
// (to the endpoint's handshake filter).
addEventListener('message', (event: MessageEvent<{ echo?: unknown }>) => {
  const data = event.data;
  if (event.source !== window.parent || event.origin !== parentOrigin || !data || typeof data !== 'object' || !('echo' in data)) return;
  endpoint.send(data.echo, []);
  tell(data.echo);
});

tell({ pwtestLoaded: 'fixture' });

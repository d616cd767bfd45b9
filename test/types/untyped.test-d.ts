// Type-level checks for peers used without a type argument (`R` defaults to `any`), compiled by
// `npm run typecheck` under this repo's strict tsconfig (`noUncheckedIndexedAccess` included).
import { connect, createPeer, expose } from '../../src/index';

declare const port: MessagePort;

export async function untypedChecks(): Promise<void> {
  // An untyped peer lets any method be called, nested or not, like plain JavaScript would.
  const peer = createPeer(port);
  await peer.remote.anything(1, 'two');
  await peer.remote.some.namespace.method();
  await peer.remote.$call('anything', [1, 2]);
  peer.remote.$notify('anything', 1);

  const remote = connect<any>(port);
  await remote.whatever();

  // expose() returns a peer whose remote (the caller's side) is untyped too.
  const exposed = expose({ ping: () => 'pong' }, port);
  await exposed.remote.progress(50);
}

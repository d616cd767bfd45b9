// portwire/electron/utility: inside an Electron utilityProcess child. Like portwire/node, except
// that `expose` defaults to `process.parentPort`.
import * as core from '../core/createPeer.js';
import type { Peer } from '../core/Peer.js';
import type { PeerOptions } from '../core/options.js';
import type { Endpoint } from '../transports/Transport.js';
import { parentEndpoint } from './parentEndpoint.js';

export { parentEndpoint } from './parentEndpoint.js';
export type { ParentPortLike } from './types.js';
export * from '../index.js';

/**
 * Answers main's calls with `handlers`; the endpoint defaults to this process's `process.parentPort`.
 * @example
 * expose({ async *run(steps: number) { for (let i = 1; i <= steps; i++) yield i / steps; } });
 */
export function expose<H extends object, R = any>(
  handlers: H,
  endpoint: Endpoint = parentEndpoint(),
  options?: Omit<PeerOptions<H>, 'handlers'>,
): Peer<R> {
  return core.expose<H, R>(handlers, endpoint, options);
}

/**
 * The typed proxy of what main exposes to this child; the endpoint defaults to `process.parentPort`.
 * @example
 * const main = connect<MainApi>();
 */
export const connect = <R>(endpoint: Endpoint = parentEndpoint(), options?: PeerOptions) => core.connect<R>(endpoint, options);

/**
 * `createPeer` with `process.parentPort` as the default endpoint.
 * @example
 * const peer = createPeer<MainApi>(undefined, { handlers: jobApi });
 */
export const createPeer = <R = any, H extends object = object>(endpoint: Endpoint = parentEndpoint(), options?: PeerOptions<H>): Peer<R> =>
  core.createPeer<R, H>(endpoint, options);

import { PortwireError } from '../errors/PortwireError.js';
import { messageEndpoint } from '../transports/messageEndpoint.js';
import type { MessageEndpoint } from '../transports/Transport.js';
import { Group } from './Group.js';
import { checkOptions } from './options.js';
import { newId } from './records.js';
import type { SharedGroup, SharedOptions } from './types.js';

/** What a SharedWorker's global scope offers: the `connect` event with each tab's port. */
interface SharedScope {
  addEventListener(type: 'connect', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'connect', listener: (event: MessageEvent) => void): void;
}

/**
 * Inside a SharedWorker: answers every tab that connects with `handlers`, and returns the group
 * of those tabs (`peers`, `on`, `notify`, `callAll`, `peer(id)`, `close`). Each tab connects as
 * to any worker: `connect<Api>(new SharedWorker(url, { type: 'module' }).port)`. In a handler,
 * `context().caller` is the calling tab's member id and `context().remote` calls that tab back.
 * A tab that closes leaves within milliseconds (its goodbye on `pagehide`); one that crashes,
 * within the heartbeat (three silent intervals). Call it at the top level of the worker's script,
 * so that no tab's `connect` event comes before it.
 *
 * There is no leader here: the SharedWorker itself is the one place every tab shares.
 * `Api` is what the tabs expose (their `handlers` option of `connect`).
 * @example
 * // shared.worker.ts
 * const tabs = exposeShared<typeof api, TabApi>(api);
 * tabs.on('join', (id) => tabs.notify('count', tabs.peers.length));
 */
export function exposeShared<H extends object, Api = any>(handlers: H, options: SharedOptions = {}): SharedGroup<Api> {
  const scope = globalThis as unknown as SharedScope & { onconnect?: unknown };
  if (!('onconnect' in scope) || typeof scope.addEventListener !== 'function') {
    throw new PortwireError('NOT_SHARED_WORKER', 'portwire: exposeShared() answers the tabs of a SharedWorker and runs inside one; elsewhere use expose() or broadcast()');
  }
  const heartbeat = checkOptions(options);
  const group = new Group<Api>(
    newId(),
    'the SharedWorker group',
    { ...options, handlers },
    new PortwireError('NO_LEADER', 'portwire: a SharedWorker group has no leader; the worker itself is the one place every tab shares'),
  );
  const onConnect = (event: MessageEvent) => {
    for (const port of event.ports) {
      const id = newId();
      group.admit(id, { ...messageEndpoint(port as MessageEndpoint), label: `the tab ${id}` }, {
        heartbeat,
        closed: 'left',
        // Closed on both sides now: the port itself can go.
        onLeave: () => port.close(),
      });
    }
  };
  scope.addEventListener('connect', onConnect);
  group.onClose(() => scope.removeEventListener('connect', onConnect));
  return group as unknown as SharedGroup<Api>;
}

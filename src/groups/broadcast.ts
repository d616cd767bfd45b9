import { PortwireError } from '../errors/PortwireError.js';
import { Election, findLocks } from './Election.js';
import { Group } from './Group.js';
import { checkOptions } from './options.js';
import { Presence } from './Presence.js';
import type { BroadcastGroup, BroadcastOptions } from './types.js';

/**
 * Joins the group `name`: every context of this origin (tabs, iframes, workers) that joins the
 * same name over a BroadcastChannel. Each other member is an ordinary peer (`peer(id)`); the group
 * calls them all (`notify`, `callAll`), tells who comes and goes, and elects one leader with a
 * Web Lock. `Api` is what the other members expose.
 *
 * Security: any same-origin script can join the channel and claim an id. `context().caller`
 * identifies a member; it does not authenticate one.
 * @example
 * const tabs = broadcast<TabApi>('my-app', { handlers: tabApi });
 * tabs.on('join', (id) => console.log('tab', id, 'is here'));
 * tabs.notify('refresh', 'cart');
 * const versions = await tabs.callAll('version', [], { timeout: 2000 });
 */
export function broadcast<Api = any, H extends object = object>(name: string, options: BroadcastOptions<H> = {}): BroadcastGroup<Api> {
  if (typeof BroadcastChannel !== 'function') throw new TypeError('portwire: broadcast() needs BroadcastChannel, which this environment lacks');
  const heartbeat = checkOptions(options);
  const locks = findLocks();
  // Its callback runs once the lock is granted or lost: after the group and presence below exist.
  const election =
    locks instanceof PortwireError
      ? undefined
      : new Election(locks, `portwire.group:${name}`, (held) => {
          if (held) {
            presence.announceLead();
            group.leaderIs(group.id);
          } else if (group.leader === group.id) group.leaderIs(undefined);
        });
  const group = new Group<Api>('', `the group "${name}"`, options, locks instanceof PortwireError ? locks : election!);
  const presence = new Presence(name, group as Group, heartbeat, options.onIgnored, () => election?.held === true);
  presence.join();
  election?.start();
  group.onClose(() => {
    presence.leave('left', `this member left the group "${name}"`);
    election?.stop(true);
  });
  if (typeof document === 'object' && typeof addEventListener === 'function') {
    // A page going away leaves at once, so the others need not wait for a heartbeat; one kept in
    // the back/forward cache comes back as a new member, with a new id.
    const onHide = () => {
      presence.leave('rejoined', `this page left the group "${name}"`);
      election?.stop(false);
    };
    const onShow = (event: PageTransitionEvent) => {
      if (!event.persisted || group.closed) return;
      presence.join();
      election?.start();
    };
    addEventListener('pagehide', onHide);
    addEventListener('pageshow', onShow);
    group.onClose(() => {
      removeEventListener('pagehide', onHide);
      removeEventListener('pageshow', onShow);
    });
  }
  return group as unknown as BroadcastGroup<Api>;
}

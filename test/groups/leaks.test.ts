import { describe, expect, it } from 'vitest';
import { freshName, join, members, sleep, until } from './support';

// Nothing is left behind once a group closes: no channel, no timer, no pending call (which
// would hold a timer), whatever was in flight.

const resources = () => {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
};

/** Kinds of which `now` holds more than `before` did (empty when nothing is left behind). */
const grown = (before: Record<string, number>, now: Record<string, number>) =>
  Object.entries(now).filter(([kind, count]) => count > (before[kind] ?? 0));

describe('leaks', () => {
  it('a closed group holds no channel and no timer, after calls, streams and timeouts in flight', async () => {
    await sleep(20);
    const before = resources();
    const api = {
      add: (a: number, b: number) => a + b,
      hang: () => new Promise(() => {}),
      async *count(n: number) {
        for (let i = 0; i < n; i++) yield i;
      },
    };
    const groups = await members<typeof api>(4, { handlers: api, heartbeat: 20 });
    const [a, b] = groups;
    const open = resources();
    expect((open.MessagePort ?? 0) - (before.MessagePort ?? 0), 'one channel per group').toBe(4);
    for (let i = 0; i < 50; i++) await a!.callAll('add', [i, i]);
    const hanging = [a!.peer(b!.id).$call('hang', [], { timeout: 60_000 }), a!.callAll('hang', [])];
    const iterator = await a!.peer(b!.id).count(1_000_000);
    await iterator.next();
    for (const group of groups) group.close();
    await expect(hanging[0]).rejects.toMatchObject({ name: 'PeerClosedError' });
    await iterator.next().catch(() => undefined);
    await sleep(50);
    expect(grown(before, resources())).toEqual([]);
  });

  it('a group that met nobody closes clean too, and closing twice is fine', async () => {
    await sleep(20);
    const before = resources();
    const alone = join(freshName(), { heartbeat: 10 });
    await sleep(50);
    alone.close();
    alone.close();
    await until(() => grown(before, resources()).length === 0, 1000, 'resources to be released');
  });
});

import { afterEach } from 'vitest';
import { broadcast, type BroadcastGroup, type BroadcastOptions } from '../../src/index';

let open: BroadcastGroup[] = [];
let count = 0;

afterEach(() => {
  for (const group of open.splice(0)) group.close();
});

/** A channel name no other test uses, so tests never hear each other. */
export const freshName = (what = 'group') => `test:${what}:${process.pid}:${++count}`;

/** Joins `name`; the group is closed after the test. */
export function join<Api = any>(name: string, options?: BroadcastOptions): BroadcastGroup<Api> {
  const group = broadcast<Api>(name, options);
  open.push(group);
  return group;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds or `ms` pass. */
export async function until(check: () => boolean, ms = 3000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** `count` members of one fresh group, each seeing all the others. */
export async function members<Api = any>(count: number, options?: BroadcastOptions, name = freshName()): Promise<BroadcastGroup<Api>[]> {
  const groups = Array.from({ length: count }, () => join<Api>(name, options));
  await until(() => groups.every((group) => group.peers.length === count - 1), 3000, `${count} members to meet`);
  return groups;
}

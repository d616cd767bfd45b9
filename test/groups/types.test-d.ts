// Type-level checks of the group API, compiled by `npm run typecheck` (tsc) and never run: each
// `@ts-expect-error` fails the typecheck if the line below it stops being an error; each typed
// assignment fails it if the inferred type changes.
import { broadcast, exposeShared, type BroadcastGroup, type Remote, type Settled, type SharedGroup } from '../../src/index';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<_T extends true>(): void {}

const api = {
  add: (a: number, b: number) => a + b,
  async save(doc: { title: string }) {
    return { saved: doc.title, at: new Date() };
  },
  async *rows(limit: number) {
    for (let i = 0; i < limit; i++) yield `row ${i}`;
  },
  math: { mul: (a: number, b: number) => a * b },
};
type Api = typeof api;

export async function checks() {
  const tabs = broadcast<Api>('types', { handlers: api, heartbeat: 500, onIgnored: (reason) => reason satisfies 'foreign' | 'malformed' | 'version' | 'forged' });
  assertType<Equal<typeof tabs, BroadcastGroup<Api>>>();
  assertType<Equal<typeof tabs.peers, string[]>>();
  assertType<Equal<ReturnType<typeof tabs.peer>, Remote<Api>>>();

  const sums = await tabs.callAll('add', [1, 2]);
  assertType<Equal<typeof sums, Array<Settled<number>>>>();
  const saved = await tabs.callAll('save', [{ title: 'x' }], { timeout: 100 });
  assertType<Equal<typeof saved, Array<Settled<{ saved: string; at: Date }>>>>();
  const products = await tabs.callAll('math.mul', [2, 3]);
  assertType<Equal<typeof products, Array<Settled<number>>>>();
  // @ts-expect-error: wrong argument type
  await tabs.callAll('add', ['1', 2]);
  // @ts-expect-error: no such method
  await tabs.callAll('nope', []);

  tabs.notify('add', 1, 2);
  // @ts-expect-error: missing argument
  tabs.notify('add', 1);

  tabs.on('leave', (id, reason) => {
    assertType<Equal<typeof id, string>>();
    assertType<Equal<typeof reason, 'left' | 'silent' | 'closed' | 'rejoined'>>();
  });
  tabs.on('leader', (id) => assertType<Equal<typeof id, string>>());
  // @ts-expect-error: no such event
  tabs.on('nope', () => {});

  const one = tabs.peer(tabs.peers[0]!);
  assertType<Equal<Awaited<ReturnType<typeof one.add>>, number>>();
  for await (const row of one.rows(3)) assertType<Equal<typeof row, string>>();

  assertType<Equal<typeof tabs.isLeader, boolean>>();
  assertType<Equal<typeof tabs.leader, string | undefined>>();
  await tabs.whenLeader({ steal: true });

  const untyped = broadcast('untyped');
  await untyped.callAll('anything', [1, 'two']);
  untyped.notify('whatever', {});

  const shared = exposeShared<typeof api, { progress(n: number): void }>(api);
  assertType<Equal<typeof shared, SharedGroup<{ progress(n: number): void }>>>();
  shared.notify('progress', 1);
  // @ts-expect-error: a SharedWorker group has no leader
  shared.isLeader;
  // @ts-expect-error: nor a leader event
  shared.on('leader', () => {});
}

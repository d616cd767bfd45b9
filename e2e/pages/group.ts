import { broadcast, context } from '../../src/index';

// One tab of a BroadcastChannel group. The query string names the group (`name`) and its
// heartbeat (`hb`); e2e/groups.spec.ts opens several such tabs in one browser context.

const params = new URLSearchParams(location.search);
const name = params.get('name') ?? 'portwire-e2e';
const heartbeat = Number(params.get('hb') ?? 1000);

type Outcome = { id: string; status: string; value?: unknown; error?: { name: string; message: string }; at: number };

const notes: Array<[string | undefined, unknown]> = [];
const events: string[] = [];
const ignored: string[] = [];
/** When each member left (Date.now()), to measure from the test. */
const leftAt: Record<string, number> = {};

const handlers = {
  whoami: () => tabs.id,
  caller: () => context().caller,
  add: (a: number, b: number) => a + b,
  later: <T>(value: T, ms: number) => new Promise<T>((resolve) => setTimeout(resolve, ms, value)),
  hang: () => new Promise<never>(() => {}),
  note(value: unknown) {
    notes.push([context().caller, value]);
  },
  async *count(n: number) {
    for (let i = 0; i < n; i++) yield i;
  },
};
export type TabApi = typeof handlers;

const tabs = broadcast<TabApi>(name, { handlers, heartbeat, onIgnored: (reason) => ignored.push(reason) });
tabs.on('join', (id) => events.push(`join ${id}`));
tabs.on('leave', (id, reason) => {
  events.push(`leave ${id} ${reason}`);
  leftAt[id] = Date.now();
});
tabs.on('leader', (id) => events.push(`leader ${id}`));

const describe = (error: unknown) => ({ name: (error as Error)?.name, message: (error as Error)?.message });
let running: Promise<Outcome[]> | undefined;
const watched: Record<string, { at: number; error: { name: string; message: string } }> = {};

const tab = {
  id: () => tabs.id,
  peers: () => tabs.peers,
  leader: () => tabs.leader,
  isLeader: () => tabs.isLeader,
  events: () => [...events],
  leftAt: (id: string) => leftAt[id],
  notes: () => [...notes],
  ignored: () => [...ignored],
  notifyAll: (value: unknown) => tabs.notify('note', value),
  call: (id: string, method: keyof TabApi, args: unknown[]) => tabs.peer(id).$call(method, args as never),
  async stream(id: string, n: number) {
    const got: number[] = [];
    for await (const value of tabs.peer(id).count(n)) got.push(value);
    return got;
  },
  /** Starts a callAll and keeps it, so the test can close a tab while it runs. */
  startCallAll(method: keyof TabApi, args: unknown[], timeout: number) {
    running = tabs.callAll(method, args as never, { timeout }).then((answers) =>
      answers.map((a) => ({
        id: a.id,
        status: a.status,
        ...(a.status === 'fulfilled' ? { value: a.value } : { error: describe(a.reason) }),
        at: Date.now(),
      })),
    );
  },
  callAllResult: () => running!,
  /** A call to `id` that never answers: records when (and how) it is rejected. */
  watch(id: string) {
    tabs.peer(id).hang().catch((error: unknown) => (watched[id] = { at: Date.now(), error: describe(error) }));
  },
  watched: () => ({ ...watched }),
  whenLeader: () => tabs.whenLeader().then(() => tabs.id),
  stealLead: () => tabs.whenLeader({ steal: true }).then(() => tabs.id),
  close: () => tabs.close(),
};

declare global {
  interface Window {
    tab: typeof tab;
  }
}
window.tab = tab;

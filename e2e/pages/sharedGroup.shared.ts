import { context, expose, exposeShared, type Remote } from '../../src/index';

// A SharedWorker that answers every tab as one group (exposeShared). Tabs connect with a plain
// connect(port). What the worker saw is read back through its own methods.

export interface TabSide {
  title(): string;
  note(text: string): void;
  /** Answers `value` after `ms`. */
  later(value: string, ms: number): Promise<string>;
}

const events: string[] = [];
/** When each tab left (Date.now()), to measure from the test. */
const leftAt: Record<string, number> = {};
const escaped: string[] = [];
addEventListener('error', (event) => escaped.push(`error: ${(event as ErrorEvent).message}`));
addEventListener('unhandledrejection', (event) => escaped.push(`unhandledrejection: ${String((event as PromiseRejectionEvent).reason)}`));

// expose() has no endpoint of its own here: it must say to use exposeShared.
let exposeError = '';
try {
  expose({});
} catch (error) {
  exposeError = (error as Error).message;
}

const api = {
  whoami: () => context().caller,
  /** Calls the calling tab back through the context. */
  async greetBack() {
    const { caller, remote } = context<Remote<TabSide>>();
    return `${caller} is ${await remote.title()}`;
  },
  peers: () => tabs.peers,
  id: () => tabs.id,
  notifyAll: (text: string) => tabs.notify('note', text),
  async askAll() {
    const answers = await tabs.callAll('title', [], { timeout: 2000 });
    return answers.map((a) => ({ id: a.id, status: a.status, value: a.status === 'fulfilled' ? a.value : String(a.reason) }));
  },
  /** A callAll still running when the test closes one tab; read it back with `askAllResult`. */
  startSlowAll(ms: number) {
    const started = Date.now();
    running = tabs.callAll('later', ['done', ms], { timeout: 20_000 }).then((answers) => ({
      ms: Date.now() - started,
      answers: answers.map((a) => ({ id: a.id, status: a.status, ...(a.status === 'rejected' ? { error: (a.reason as Error).name } : { value: a.value }) })),
    }));
  },
  askAllResult: () => running,
  events: () => [...events],
  leftAt: (id: string) => leftAt[id],
  escaped: () => [...escaped],
  exposeError: () => exposeError,
  leaderError() {
    try {
      return String((tabs as unknown as { isLeader: boolean }).isLeader);
    } catch (error) {
      return (error as { code?: string }).code;
    }
  },
};
export type SharedApi = typeof api;

let running: Promise<unknown> | undefined;
const heartbeat = Number(new URLSearchParams(location.search).get('hb') ?? 1000);
const tabs = exposeShared<typeof api, TabSide>(api, { heartbeat });
tabs.on('join', (id) => events.push(`join ${id}`));
tabs.on('leave', (id, reason) => {
  events.push(`leave ${id} ${reason}`);
  leftAt[id] = Date.now();
});

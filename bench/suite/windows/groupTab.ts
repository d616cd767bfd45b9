import { broadcast } from '../../../src/index';
import { windowHeap } from './origins';

// The broadcast-group row: three tabs of one origin (group.html?role=caller, and two members).
// Contenders: bare BroadcastChannel (every post reaches every member; requests carry an id and
// an addressee or none, members answer on the same channel) and portwire's broadcast() group.
// Scenarios, all run from the caller tab: callAll round trip (µs per callAll of `add` to both
// members, median over blocks), notify-all (notifications/s, N to all members, then one callAll
// as a barrier that answers with each member's count), and retained heap after N calls to one
// member (bare: an addressed request; portwire: group.peer(id)).

export interface GroupBenchConfig {
  rounds: number;
  seqCalls: number;
  notifications: number;
  memoryCalls: number;
  /** Fewer calls for a slow contender (its figure is context, not a target). */
  memoryCallsFor: Record<string, number>;
  memoryChunk: number;
  scenarios: string[];
}
export type GroupScenario = 'callAll' | 'notify';
export interface GroupBenchResult {
  samples: Partial<Record<GroupScenario, Record<string, number[]>>>;
  memory: Record<string, { before: { main: number; worker: number }; after: { main: number; worker: number }; growth: number; calls: number; seconds: number }>;
  members: number;
  seconds: number;
}

interface Tab {
  gc?: () => void;
  runGroupBench?: (config: GroupBenchConfig) => Promise<GroupBenchResult>;
  groupReady?: boolean;
}
const tab = globalThis as unknown as Tab;
const role = new URLSearchParams(location.search).get('role');
const MEMBERS = 2;
/** This tab's own JS heap after full GCs (its Window, not the other tabs). */
async function ownHeap(): Promise<number> {
  tab.gc?.();
  tab.gc?.();
  return windowHeap();
}

// ── the harness's own channel: gc and heap on every member, untimed ────────────────────────

const control = new BroadcastChannel('bench-control');
type Control = { ask: 'gc' | 'heap' | 'hello'; n: number } | { answer: number; n: number; from: string };
const me = Math.random().toString(36).slice(2);

// ── bare BroadcastChannel ──────────────────────────────────────────────────────────────────

interface BareRequest {
  i: number;
  m: 'add' | 'tick' | 'count';
  a: number[];
  /** The member it is for; absent: all of them. */
  to?: string;
  from: string;
}
interface BareReply {
  i: number;
  r: number;
  to: string;
  from: string;
}

function bareMember(): void {
  const channel = new BroadcastChannel('bench-bare');
  let ticks = 0;
  channel.onmessage = (event) => {
    const m = event.data as BareRequest | BareReply;
    if ('r' in m || (m.to !== undefined && m.to !== me)) return;
    if (m.m === 'tick') return void ticks++;
    const r = m.m === 'add' ? m.a[0]! + m.a[1]! : ticks;
    if (m.m === 'count') ticks = 0;
    channel.postMessage({ i: m.i, r, to: m.from, from: me } satisfies BareReply);
  };
}

function bareCaller() {
  const channel = new BroadcastChannel('bench-bare');
  let next = 1;
  const waiting = new Map<number, { left: number; values: number[]; resolve: (values: number[]) => void }>();
  channel.onmessage = (event) => {
    const m = event.data as BareRequest | BareReply;
    if (!('r' in m) || m.to !== me) return;
    const w = waiting.get(m.i);
    if (!w) return;
    w.values.push(m.r);
    if (--w.left === 0) {
      waiting.delete(m.i);
      w.resolve(w.values);
    }
  };
  const request = (m: BareRequest['m'], a: number[], to?: string, answers = MEMBERS) =>
    new Promise<number[]>((resolve) => {
      const i = next++;
      waiting.set(i, { left: answers, values: [], resolve });
      channel.postMessage({ i, m, a, from: me, ...(to && { to }) } satisfies BareRequest);
    });
  return {
    callAll: (a: number, b: number) => request('add', [a, b]),
    notifyAll: (v: number) => channel.postMessage({ i: 0, m: 'tick', a: [v], from: me } satisfies BareRequest),
    counts: () => request('count', []),
    one: (to: string, a: number, b: number) => request('add', [a, b], to, 1).then((values) => values[0]!),
  };
}

// ── portwire ───────────────────────────────────────────────────────────────────────────────

type MemberApi = { add(a: number, b: number): number; tick(v: number): void; count(): number };

function portwireMember(): void {
  let ticks = 0;
  broadcast<MemberApi>('bench-pw', {
    handlers: {
      add: (a: number, b: number) => a + b,
      tick: () => void ticks++,
      count: () => {
        const n = ticks;
        ticks = 0;
        return n;
      },
    },
  });
}

async function portwireCaller() {
  const group = broadcast<MemberApi>('bench-pw');
  while (group.peers.length < MEMBERS) await new Promise((resolve) => setTimeout(resolve, 20));
  const values = (settled: Awaited<ReturnType<typeof group.callAll>>) =>
    settled.map((s) => {
      if (s.status !== 'fulfilled') throw s.reason;
      return s.value as number;
    });
  return {
    group,
    callAll: (a: number, b: number) => group.callAll('add', [a, b]).then(values),
    notifyAll: (v: number) => group.notify('tick', v),
    counts: () => group.callAll('count', []).then(values),
    one: (to: string, a: number, b: number) => group.peer(to).add(a, b) as Promise<number>,
  };
}

// ── the caller's runner ────────────────────────────────────────────────────────────────────

const now = () => performance.now();
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const check = (ok: boolean, what: string) => {
  if (!ok) throw new Error(`group bench: ${what}`);
};

let askN = 0;
/** Asks every member (and does it here too); resolves with their answers. */
function ask(what: 'gc' | 'heap' | 'hello'): Promise<Map<string, number>> {
  const n = ++askN;
  return new Promise((resolve) => {
    const answers = new Map<string, number>();
    const onAnswer = (event: MessageEvent<Control>) => {
      const m = event.data;
      if (!('answer' in m) || m.n !== n) return;
      answers.set(m.from, m.answer);
      if (answers.size === MEMBERS) {
        control.removeEventListener('message', onAnswer);
        resolve(answers);
      }
    };
    control.addEventListener('message', onAnswer);
    control.postMessage({ ask: what, n } satisfies Control);
  });
}

interface Contender {
  name: string;
  callAll(a: number, b: number): Promise<number[]>;
  notifyAll(v: number): void;
  counts(): Promise<number[]>;
  one(to: string, a: number, b: number): Promise<number>;
}

const BLOCK = 100;
async function callAllRoundTrip(c: Contender, calls: number): Promise<number> {
  const blocks: number[] = [];
  for (let done = 0; done < calls; done += BLOCK) {
    const start = now();
    for (let i = done; i < done + BLOCK; i++) {
      const sums = await c.callAll(i, 1);
      check(sums.length === MEMBERS && sums[0] === i + 1 && sums[1] === i + 1, 'wrong sums');
    }
    blocks.push(((now() - start) * 1000) / BLOCK);
  }
  return median(blocks);
}

async function notifyAll(c: Contender, n: number): Promise<number> {
  await c.counts(); // starts both counters at zero
  const start = now();
  for (let i = 0; i < n; i++) c.notifyAll(i);
  const counts = await c.counts();
  const ms = now() - start;
  check(counts.every((count) => count === n), `counts ${counts.join(', ')} of ${n}`);
  return (n * 1000) / ms;
}

async function memory(c: Contender, to: string, config: GroupBenchConfig) {
  const calls = config.memoryCallsFor[c.name] ?? config.memoryCalls;
  const callMany = async (total: number) => {
    for (let done = 0; done < total; done += config.memoryChunk) {
      const k = Math.min(config.memoryChunk, total - done);
      const promises: Promise<number>[] = new Array(k);
      for (let i = 0; i < k; i++) promises[i] = c.one(to, i, 1);
      await Promise.all(promises);
    }
  };
  // Both members' heaps: the one called and the one that sees (bare) or ignores its traffic.
  const heaps = async () => {
    const members = await ask('heap');
    return { main: await ownHeap(), worker: [...members.values()].reduce((a, b) => a + b, 0) };
  };
  await callMany(Math.min(20_000, calls));
  await new Promise((resolve) => setTimeout(resolve, 0));
  const before = await heaps();
  const start = now();
  await callMany(calls);
  const seconds = (now() - start) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 0));
  const after = await heaps();
  const growth = after.main + after.worker - before.main - before.worker;
  return { before, after, growth, calls, seconds };
}

async function runCaller(config: GroupBenchConfig): Promise<GroupBenchResult> {
  const began = now();
  // The bare members go by their harness ids; portwire's by their group ids.
  const ids = [...(await ask('hello')).keys()];
  const pw = await portwireCaller();
  const bare = bareCaller();
  const contenders: Contender[] = [
    { name: 'bare', ...bare },
    { name: 'portwire', ...pw },
  ];
  const scenarios = (['callAll', 'notify'] as GroupScenario[]).filter((s) => config.scenarios.includes(s));
  const result: GroupBenchResult = { samples: {}, memory: {}, members: MEMBERS, seconds: 0 };
  const runOne = (s: GroupScenario, c: Contender, warm: boolean) =>
    s === 'callAll' ? callAllRoundTrip(c, warm ? 200 : config.seqCalls) : notifyAll(c, warm ? 2_000 : config.notifications);
  for (const c of contenders) for (const s of scenarios) await runOne(s, c, true);
  for (let round = 0; round < config.rounds; round++) {
    const order = round % 2 ? [...contenders].reverse() : contenders;
    for (const s of scenarios) {
      const line: string[] = [];
      for (const c of order) {
        await ask('gc');
        tab.gc?.();
        const value = await runOne(s, c, false);
        ((result.samples[s] ??= {})[c.name] ??= []).push(value);
        line.push(`${c.name} ${s === 'callAll' ? value.toFixed(1) : Math.round(value).toLocaleString('en-US')}`);
      }
      console.log(`[group] round ${round + 1}/${config.rounds} ${s}: ${line.join(', ')}`);
    }
  }
  if (config.memoryCalls > 0 && config.scenarios.includes('memory')) {
    for (const c of contenders) {
      await ask('gc');
      // Looked up now: a member starved of CPU meanwhile may have rejoined under a new id.
      while (pw.group.peers.length < MEMBERS) await new Promise((resolve) => setTimeout(resolve, 20));
      result.memory[c.name] = await memory(c, c.name === 'bare' ? ids[0]! : pw.group.peers[0]!, config);
      console.log(`[group] memory ${c.name}: retained ${(result.memory[c.name]!.growth / 1024).toFixed(0)} KB`);
    }
  }
  result.seconds = (now() - began) / 1000;
  return result;
}

// Members answer the harness: 'hello' (who is here), 'gc', 'heap' (their own, after GC).
control.onmessage = async (event: MessageEvent<Control>) => {
  const m = event.data;
  if (!('ask' in m) || role !== 'member') return;
  let answer = 0;
  if (m.ask === 'heap') answer = await ownHeap();
  else if (m.ask === 'gc') {
    tab.gc?.();
    tab.gc?.();
  }
  control.postMessage({ answer, n: m.n, from: me } satisfies Control);
};

if (role === 'member') {
  bareMember();
  portwireMember();
  tab.groupReady = true;
} else {
  tab.runGroupBench = (config) => {
    if (!crossOriginIsolated || !tab.gc) throw new Error('group bench: the tabs need cross-origin isolation and --js-flags=--expose-gc');
    return runCaller(config);
  };
}

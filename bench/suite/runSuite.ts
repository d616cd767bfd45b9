import { AHEAD, CONSUMED, ECHO_MOVED, PROBING } from './probe';
import type { Client, Contender, ContenderName, Host, SuiteConfig } from './types';

/** Timed scenarios: one figure per contender per round. */
export const SCENARIOS = {
  seq: 'µs per call, sequential',
  concurrent: 'calls/s, all in flight',
  stream: 'items/s, worker → caller',
  transfer: 'ms per round trip',
} as const;
export type Scenario = keyof typeof SCENARIOS;

export interface MemoryResult {
  /** JS heap in use after `warm` calls, both sides, in bytes. */
  before: { main: number; worker: number };
  /** … and after `memoryCalls` more. */
  after: { main: number; worker: number };
  growth: number;
  calls: number;
  seconds: number;
}

export interface SuiteResult {
  host: string;
  config: SuiteConfig;
  /** samples[scenario][contender][round] */
  samples: Partial<Record<Scenario, Partial<Record<ContenderName, number[]>>>>;
  /** Most items the producer had produced beyond what the consumer had handled (untimed pass). */
  maxAhead: Partial<Record<ContenderName, number>>;
  /** Whether the 64 MB buffer was detached after sending, on the caller's and on the worker's side. */
  moved: Partial<Record<ContenderName, { caller: boolean; worker: boolean }>>;
  memory: Partial<Record<ContenderName, MemoryResult>>;
  seconds: number;
}

const now = () => performance.now();

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`bench: ${what}`);
}

const SEQ_BLOCK = 100;

/** µs per call of one block of 100 sequential calls. */
async function block(client: Client, from: number): Promise<number> {
  const start = now();
  for (let i = from; i < from + SEQ_BLOCK; i++) check((await client.add(i, 1)) === i + 1, 'wrong sum');
  return ((now() - start) * 1000) / SEQ_BLOCK;
}

/** µs per call: the median over blocks of 100 calls, so a preempted block on a busy machine does not count. */
async function sequential(client: Client, calls: number): Promise<number> {
  const blocks: number[] = [];
  for (let done = 0; done < calls; done += SEQ_BLOCK) blocks.push(await block(client, done));
  return median(blocks);
}

/**
 * One round's sequential samples, block by block in turn (a block of each contender, then the
 * next): a round trip's speed can change for seconds at a time on a small VM, and each contender
 * should meet the same spells. Each contender's figure is the median of its blocks.
 */
async function sequentialInTurn(order: Contender[], calls: number): Promise<number[]> {
  const blocks: number[][] = order.map(() => []);
  for (let done = 0; done < calls; done += SEQ_BLOCK) for (let k = 0; k < order.length; k++) blocks[k]!.push(await block(order[k]!.client, done));
  return blocks.map(median);
}

async function concurrent(client: Client, calls: number): Promise<number> {
  const promises: Promise<number>[] = new Array(calls);
  const start = now();
  for (let i = 0; i < calls; i++) promises[i] = client.add(i, 1);
  const sums = await Promise.all(promises);
  const ms = now() - start;
  check(sums[calls - 1] === calls, 'wrong sum');
  return (calls * 1000) / ms;
}

async function stream(c: Contender, items: number): Promise<number> {
  let consumed = 0;
  const start = now();
  await c.client.stream(items, (value) => {
    if (value !== consumed++) throw new Error(`bench: item ${value} arrived as #${consumed - 1}`);
  });
  const ms = now() - start;
  check(consumed === items, `${consumed} of ${items} items`);
  return (items * 1000) / ms;
}

/** Untimed: the most items the producer got ahead of what the consumer had handled. */
async function probeWindow(c: Contender, items: number): Promise<number> {
  const shared = c.shared;
  let consumed = 0;
  Atomics.store(shared, CONSUMED, 0);
  Atomics.store(shared, AHEAD, 0);
  Atomics.store(shared, PROBING, 1);
  await c.client.stream(items, () => void Atomics.store(shared, CONSUMED, ++consumed));
  Atomics.store(shared, PROBING, 0);
  return Atomics.load(shared, AHEAD);
}

/**
 * Round trips per sample, and the sample is their median: at least 3, so one stray GC does not
 * decide it, and more (up to 15) while they take under 50 ms in all. A moved 64 MB buffer comes
 * back in a fraction of a millisecond, as fast as the thread behind it wakes, so three such trips
 * decided the row by wake-up luck (one sample of three per round read 0.1–0.5 ms for the same
 * contender); a copy takes most of a second and stops at three.
 */
const MIN_TRIPS = 3;
const MAX_TRIPS = 15;
const TRIPS_MS = 50;

async function roundTrip(c: Contender, buffers: Map<ContenderName, ArrayBuffer>, bytes: number, moved: SuiteResult['moved']) {
  let buffer = buffers.get(c.name);
  if (!buffer) {
    buffer = new ArrayBuffer(bytes);
    new Uint8Array(buffer).fill(7); // touched, so no side can get away with lazily zeroed pages
    buffers.set(c.name, buffer);
  }
  const times: number[] = [];
  let spent = 0;
  while (times.length < MIN_TRIPS || (times.length < MAX_TRIPS && spent < TRIPS_MS)) {
    Atomics.store(c.shared, ECHO_MOVED, -1);
    const start = now();
    const back = await c.client.echo(buffer);
    const took = now() - start;
    times.push(took);
    spent += took;
    check(back.byteLength === bytes && new Uint8Array(back)[bytes - 1] === 7, 'echo came back damaged');
    const callerMoved = buffer.byteLength === 0;
    for (let i = 0; i < 1000 && Atomics.load(c.shared, ECHO_MOVED) === -1; i++) await new Promise((r) => setTimeout(r, 1));
    moved[c.name] = { caller: callerMoved, worker: Atomics.load(c.shared, ECHO_MOVED) === 1 };
    buffer = back;
  }
  buffers.set(c.name, buffer);
  return median(times);
}

async function callMany(client: Client, total: number, chunk: number): Promise<void> {
  for (let done = 0; done < total; done += chunk) {
    const n = Math.min(chunk, total - done);
    const promises: Promise<number>[] = new Array(n);
    for (let i = 0; i < n; i++) promises[i] = client.add(i, 1);
    await Promise.all(promises);
  }
}

async function memory(host: Host, c: Contender, config: SuiteConfig): Promise<MemoryResult> {
  const calls = config.memoryCallsFor[c.name] ?? config.memoryCalls;
  await callMany(c.client, Math.min(20_000, calls), config.memoryChunk); // warm, so JIT code and maps are in "before"
  await tick();
  const before = await c.memory();
  const start = now();
  await callMany(c.client, calls, config.memoryChunk);
  const seconds = (now() - start) / 1000;
  await tick();
  const after = await c.memory();
  const growth = after.main + after.worker - before.main - before.worker;
  host.log(`memory ${c.name}: ${calls} calls in ${seconds.toFixed(1)} s, retained ${(growth / 1024).toFixed(0)} KB`);
  return { before, after, growth, calls, seconds };
}

/**
 * Full-size runs of every scenario before the first sample. In a fresh Node worker, the first six
 * 100 000-item portwire streams ran at 0.7, 1.3, 2.1, 3.0, 3.6 and 4.3 M items/s: the per-batch
 * code (receive, dispatch, deliver, credit) is optimized only once it has run for a few streams.
 */
const WARM_PASSES = 3;

const format = (scenario: Scenario, value: number) =>
  scenario === 'concurrent' || scenario === 'stream' ? `${Math.round(value).toLocaleString('en-US')}/s` : value.toFixed(2);

/**
 * Runs every scenario for every contender, interleaved: each round visits all contenders (in an
 * order rotated per round) before the next round starts, so slow drifts on a shared machine hit
 * everyone alike.
 */
export async function runSuite(host: Host, config: SuiteConfig): Promise<SuiteResult> {
  const began = now();
  const result: SuiteResult = { host: host.name, config, samples: {}, maxAhead: {}, moved: {}, memory: {}, seconds: 0 };
  const contenders: Contender[] = [];
  for (const name of config.contenders) contenders.push(await host.start(name));
  const scenarios = (Object.keys(SCENARIOS) as Scenario[]).filter((s) => config.scenarios.includes(s));
  const buffers = new Map<ContenderName, ArrayBuffer>();
  const moved: SuiteResult['moved'] = {};
  // Comlink's and birpc's streams leave their workers a queue of unanswered work after the caller
  // has every item; no sample may share the machine with it. Once per worker (contenders that
  // share one share its settle).
  const settle = async () => {
    for (const s of new Set(contenders.map((c) => c.settle))) await s();
  };

  const runOne = async (scenario: Scenario, c: Contender): Promise<number> => {
    switch (scenario) {
      case 'seq':
        return sequential(c.client, config.seqCalls);
      case 'concurrent':
        return concurrent(c.client, config.concurrentCalls);
      case 'stream':
        return stream(c, config.streamItems);
      case 'transfer':
        return roundTrip(c, buffers, config.transferBytes, moved);
    }
  };

  // Warm-up: every scenario at full size, WARM_PASSES times, before the first sample.
  host.log(`warming up ${contenders.map((c) => c.name).join(', ')}`);
  for (let pass = 0; pass < WARM_PASSES; pass++) for (const c of contenders) for (const scenario of scenarios) await runOne(scenario, c);

  // One round's samples of a scenario, in `order`: the round trip block by block in turn, every
  // other scenario one contender at a time, each after a settle and a collection.
  const sampleRound = async (scenario: Scenario, order: Contender[]): Promise<number[]> => {
    if (scenario === 'seq') {
      await settle();
      if (config.collect) for (const c of order) await c.collect();
      await tick();
      return sequentialInTurn(order, config.seqCalls);
    }
    const values: number[] = [];
    for (const c of order) {
      await settle();
      if (config.collect) await c.collect();
      await tick();
      values.push(await runOne(scenario, c));
    }
    return values;
  };

  for (let round = 0; round < config.rounds; round++) {
    const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]!);
    for (const scenario of scenarios) {
      const values = await sampleRound(scenario, order);
      order.forEach((c, k) => ((result.samples[scenario] ??= {})[c.name] ??= []).push(values[k]!));
      host.log(`round ${round + 1}/${config.rounds} ${scenario}: ${order.map((c, k) => `${c.name} ${format(scenario, values[k]!)}`).join(', ')}`);
    }
  }
  result.moved = moved;
  buffers.clear();

  if (scenarios.includes('stream')) {
    for (const c of contenders) result.maxAhead[c.name] = await probeWindow(c, Math.min(20_000, config.streamItems));
    host.log(`window probe (items ahead of the consumer): ${contenders.map((c) => `${c.name} ${result.maxAhead[c.name]}`).join(', ')}`);
  }

  if (config.memoryCalls > 0 && config.scenarios.includes('memory')) {
    for (const c of contenders) {
      // The window probe's streams leave the same queues of work as the timed ones.
      await settle();
      await c.collect();
      result.memory[c.name] = await memory(host, c, config);
    }
  }
  result.seconds = (now() - began) / 1000;
  return result;
}

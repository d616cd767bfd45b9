// The pool scenario, the same in both hosts: `tasks` CPU tasks of `ms` each, all submitted at once,
// run by each contender in turn. Figures per sample: throughput (tasks/s) and the overhead per
// task: how much longer than `ms` each task took a worker, wall × workers / tasks − ms (0 for a
// perfect pool). Both come from the wall time; the tasks' own measured time is only checked.

export interface PoolBenchConfig {
  tasks: number;
  ms: number;
  /** Workers of the two pools. */
  size: number;
  rounds: number;
}

/** One way of running tasks: a pool, or a single worker. */
export interface PoolContender {
  name: string;
  /** How many workers compute at once. */
  workers: number;
  /** Runs one task of `ms` on some worker; resolves with how long it computed. */
  run(ms: number): Promise<number>;
  close(): void | Promise<unknown>;
}

export interface PoolSample {
  throughput: number;
  overheadUs: number;
  wallMs: number;
}

export interface PoolBenchResult {
  host: string;
  config: PoolBenchConfig;
  /** samples[contender][round] */
  samples: Record<string, PoolSample[]>;
  seconds: number;
}

const now = () => performance.now();

async function sample(c: PoolContender, tasks: number, ms: number): Promise<PoolSample> {
  const start = now();
  const took = await Promise.all(Array.from({ length: tasks }, () => c.run(ms)));
  const wallMs = now() - start;
  const computed = took.reduce((sum, t) => sum + t, 0);
  if (!(computed >= tasks * ms)) throw new Error(`bench: ${c.name} ran ${computed} ms of ${tasks} × ${ms} ms tasks`);
  return { throughput: (tasks * 1000) / wallMs, overheadUs: ((wallMs * c.workers) / tasks - ms) * 1000, wallMs };
}

/** Warms every contender up, then runs `rounds` rounds, each visiting every contender (order rotated). */
export async function runPool(host: string, contenders: PoolContender[], config: PoolBenchConfig, log: (line: string) => void): Promise<PoolBenchResult> {
  const began = now();
  const samples: Record<string, PoolSample[]> = {};
  for (const c of contenders) await sample(c, Math.min(20, config.tasks), config.ms);
  for (let round = 0; round < config.rounds; round++) {
    const line: string[] = [];
    for (let i = 0; i < contenders.length; i++) {
      const c = contenders[(i + round) % contenders.length]!;
      const s = await sample(c, config.tasks, config.ms);
      (samples[c.name] ??= []).push(s);
      line.push(`${c.name} ${Math.round(s.throughput)}/s (+${Math.round(s.overheadUs)} µs/task)`);
    }
    log(`round ${round + 1}/${config.rounds} pool: ${line.join(', ')}`);
  }
  for (const c of contenders) await c.close();
  return { host, config, samples, seconds: (now() - began) / 1000 };
}

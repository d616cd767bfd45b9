// Sizes of one run, from BENCH_* environment variables:
//   BENCH_QUICK=1          smoke run: small sizes, 2 rounds
//   BENCH_ROUNDS=n         rounds of the timed scenarios (default 5)
//   BENCH_HOSTS=node,chromium
//   BENCH_CONTENDERS=…     subset of bare,limit,comlink,birpc,portwire (ratios need bare and limit)
//   BENCH_SCENARIOS=…      subset of seq,concurrent,stream,transfer,memory,pool,iframe,group (iframe
//                          and group: Chromium's window rows, lib/windows.mjs)
//   BENCH_MEMORY_CALLS=n   calls of the memory scenario (default 1 000 000; Comlink and birpc make
//                          at most 200 000 of them unless BENCH_MEMORY_ALL=1: at ~20k calls/s
//                          they would take most of the run)
//   BENCH_PROFILE=1        write CPU profiles to bench/results/profiles/
//   BENCH_COLLECT=0        no full garbage collection on both sides before each timed sample (the
//                          default collects, so one contender's garbage never lands on the next):
//                          every sample then runs on a warm heap, as in an app that keeps streaming
const ALL_CONTENDERS = ['bare', 'limit', 'comlink', 'birpc', 'portwire'];
const ALL_SCENARIOS = ['seq', 'concurrent', 'stream', 'transfer', 'memory', 'pool', 'iframe', 'group'];

const list = (value, all) => (value ? value.split(',').map((s) => s.trim()).filter((s) => all.includes(s)) : all);
const int = (value, fallback) => (value ? Number.parseInt(value, 10) : fallback);

export function readConfig(env = process.env) {
  const quick = env.BENCH_QUICK === '1';
  const picked = list(env.BENCH_CONTENDERS, ALL_CONTENDERS);
  const suite = {
    rounds: int(env.BENCH_ROUNDS, quick ? 2 : 5),
    contenders: picked,
    seqCalls: quick ? 300 : 2_000,
    concurrentCalls: quick ? 2_000 : 20_000,
    streamItems: quick ? 10_000 : 100_000,
    transferBytes: (quick ? 8 : 64) * 1024 * 1024,
    memoryCalls: int(env.BENCH_MEMORY_CALLS, quick ? 50_000 : 1_000_000),
    memoryChunk: 10_000,
    memoryCallsFor: {},
    scenarios: list(env.BENCH_SCENARIOS, ALL_SCENARIOS),
    collect: env.BENCH_COLLECT !== '0',
  };
  if (env.BENCH_MEMORY_ALL !== '1') {
    const capped = Math.min(suite.memoryCalls, 200_000);
    suite.memoryCallsFor = { comlink: capped, birpc: capped };
  }
  // The pool scenario (bench/lib/pool.mjs): CPU tasks of ~5 ms on pools of 2.
  const pool = { tasks: quick ? 50 : 200, ms: 5, size: 2, rounds: suite.rounds };
  return {
    quick,
    pool,
    hosts: list(env.BENCH_HOSTS, ['node', 'chromium']),
    profile: env.BENCH_PROFILE === '1',
    suite,
  };
}

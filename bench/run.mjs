// npm run bench: portwire against bare postMessage, the batched limit, Comlink and birpc, in Node
// (worker_threads) and headless Chromium (page ↔ dedicated Worker). Prints a table and the
// targets, writes bench/results/latest.json. Sizes via lib/config.mjs (BENCH_QUICK=1, BENCH_ROUNDS…).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { buildBench } from './lib/build.mjs';
import { runChromiumHost } from './lib/chromiumHost.mjs';
import { readConfig } from './lib/config.mjs';
import { runNodeHost } from './lib/nodeHost.mjs';
import { resultsDir } from './lib/paths.mjs';
import { formatPool, runPoolBench } from './lib/pool.mjs';
import { checkWindowTargets, formatWindows, runWindowsBench } from './lib/windows.mjs';
import { formatHost } from './lib/report.mjs';
import { formatSizes, measureSizes } from './lib/sizes.mjs';
import { summarize } from './lib/summarize.mjs';
import { checkTargets, formatTargets } from './lib/targets.mjs';

const config = readConfig();
const began = Date.now();
const load = loadavg();
console.error(`portwire bench: ${config.hosts.join(' + ')}, ${config.suite.rounds} rounds${config.quick ? ' (quick smoke run: small sizes)' : ''}`);

// The pool scenario runs on its own; the main suite only when one of its scenarios is asked for.
const suiteHosts = config.suite.scenarios.some((s) => !['pool', 'iframe', 'group'].includes(s)) ? config.hosts : [];
const files = suiteHosts.length ? await buildBench() : undefined;
const hosts = {};
for (const host of suiteHosts) {
  const run = host === 'node' ? runNodeHost : runChromiumHost;
  const result = await run(files, config.suite, { profile: config.profile });
  hosts[host] = { result, summary: summarize(result) };
}
const pools = config.suite.scenarios.includes('pool') ? await runPoolBench(config.hosts, config.pool) : undefined;
// The window rows (an iframe, a group of tabs) are Chromium's only.
const rows = config.hosts.includes('chromium') ? config.suite.scenarios.filter((s) => s === 'iframe' || s === 'group') : [];
const windows = rows.length ? await runWindowsBench(rows, config.suite) : undefined;
const sizes = await measureSizes();
const targets = [...checkTargets(hosts, sizes), ...(windows ? checkWindowTargets(windows) : [])];

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${load.map((l) => l.toFixed(1)).join(' ')} at start`;
console.log(`\nportwire bench — ${new Date().toISOString()} — ${machine}${config.quick ? ' — QUICK SMOKE RUN' : ''}\n`);
for (const [host, data] of Object.entries(hosts)) console.log(`${formatHost(host, data)}\n`);
if (pools) console.log(`${formatPool(pools)}\n`);
if (windows) console.log(`${formatWindows(windows)}\n`);
console.log(`${formatSizes(sizes)}\n`);
console.log(`Targets (portwire; ratios are medians of per-round ratios)\n${formatTargets(targets)}`);

mkdirSync(resultsDir, { recursive: true });
const json = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavgAtStart: load, node: process.version },
  quick: config.quick,
  config: config.suite,
  hosts,
  pools,
  windows,
  sizes,
  targets,
  seconds: (Date.now() - began) / 1000,
};
writeFileSync(`${resultsDir}latest.json`, `${JSON.stringify(json, null, 2)}\n`);
console.log(`\nwrote bench/results/latest.json (${json.seconds.toFixed(0)} s)`);

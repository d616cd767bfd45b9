// The pool scenario (BENCH_SCENARIOS=pool, and part of the default run): 200 CPU tasks of ~5 ms on a
// pool of 2, portwire's pool against workerpool and against one portwire worker, in Node
// (worker_threads) and headless Chromium (Web Workers). Its own bundles, hosts and table: it
// shares only the server and the Chromium launch options with the main suite.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { build } from 'vite';
import { chromiumLaunchOptions } from './chromium.mjs';
import { cacheDir, root } from './paths.mjs';
import { serve } from './serve.mjs';
import { median } from './summarize.mjs';

const dir = `${cacheDir}pool/`;

// Errors only: workerpool's browser build names Node modules it never loads there, which Vite reports.
const bundle = (outDir, entry, target, external) =>
  build({
    configFile: false,
    root,
    logLevel: 'error',
    build: {
      outDir,
      emptyOutDir: true,
      minify: false,
      target,
      lib: { entry, formats: ['es'] },
      rolldownOptions: { external },
    },
  });

/** Bundles both hosts; in Node, workerpool stays a package Node loads itself (it picks its own worker code). */
async function buildPool() {
  const s = 'bench/suite/pool/';
  await bundle(`${dir}node/`, { 'pool-node-main': `${s}nodeMain.ts`, 'pool-node-worker': `${s}nodeWorker.ts`, 'pool-node-workerpool': `${s}nodeWorkerpool.ts` }, 'node18', [/^node:/, 'workerpool']);
  await bundle(`${dir}web/`, { 'pool-page': `${s}webPage.ts`, 'pool-web-worker': `${s}webWorker.ts`, 'pool-web-workerpool': `${s}webWorkerpool.ts` }, 'es2022', [/^node:/]);
  writeFileSync(`${dir}web/index.html`, '<!doctype html>\n<meta charset="utf-8">\n<title>portwire pool bench</title>\n<link rel="icon" href="data:,">\n<script type="module" src="./pool-page.js"></script>\n');
}

async function runNode(config) {
  const out = `${dir}node-result.json`;
  rmSync(out, { force: true });
  const child = spawn(process.execPath, [`${dir}node/pool-node-main.js`, JSON.stringify(config), out], { stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`the Node pool host exited with ${code}`);
  return JSON.parse(readFileSync(out, 'utf8'));
}

async function runChromium(config) {
  const server = await serve(`${dir}web/`);
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const page = await browser.newPage();
    page.on('console', (message) => process.stderr.write(`${message.text()}\n`));
    page.on('pageerror', (error) => process.stderr.write(`[chromium] page error: ${error.stack ?? error}\n`));
    await page.goto(`${server.url}index.html`);
    await page.waitForFunction(() => typeof window.runPoolBench === 'function');
    const result = await page.evaluate((c) => window.runPoolBench(c), config);
    return { ...result, version: browser.version() };
  } finally {
    await browser.close();
    server.close();
  }
}

/** Medians over rounds, and portwire's overhead against workerpool's, round by round. */
export function summarizePool(result) {
  const summary = {};
  for (const [name, samples] of Object.entries(result.samples)) {
    summary[name] = {
      throughput: median(samples.map((s) => s.throughput)),
      overheadUs: median(samples.map((s) => s.overheadUs)),
      wallMs: median(samples.map((s) => s.wallMs)),
      vsOneWorker: result.samples['one worker'] ? median(samples.map((s, round) => s.throughput / result.samples['one worker'][round].throughput)) : null,
    };
  }
  return summary;
}

/** Runs the pool scenario in each of `hosts`; returns { [host]: { result, summary } }. */
export async function runPoolBench(hosts, config) {
  await buildPool();
  const out = {};
  for (const host of hosts) {
    const result = host === 'node' ? await runNode(config) : await runChromium(config);
    out[host] = { result, summary: summarizePool(result) };
  }
  return out;
}

export function formatPool(pools) {
  const lines = [];
  for (const [host, { result, summary }] of Object.entries(pools)) {
    const { tasks, ms, size, rounds } = result.config;
    lines.push(`${host === 'node' ? `Node ${result.version} (worker_threads)` : `Chromium ${result.version} headless (Web Workers)`} — ${tasks} CPU tasks of ${ms} ms, pools of ${size}; median of ${rounds} interleaved rounds`);
    const rows = [['contender', 'tasks/s', '× one worker', 'overhead/task', 'wall']];
    for (const [name, s] of Object.entries(summary)) {
      rows.push([name, Math.round(s.throughput).toLocaleString('en-US'), s.vsOneWorker == null ? '—' : `${s.vsOneWorker.toFixed(2)}×`, `${Math.round(s.overheadUs)} µs`, `${Math.round(s.wallMs)} ms`]);
    }
    const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
    for (const row of rows) lines.push(row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]) : cell.padStart(widths[col]))).join('  '));
    lines.push('');
  }
  lines.push('overhead/task: wall × workers / tasks − task length — how much longer than its own work each task held a worker.');
  return lines.join('\n');
}

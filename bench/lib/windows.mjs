// The window rows (BENCH_SCENARIOS=iframe and =group; part of the default run), Chromium only:
//   iframe: page ↔ cross-origin iframe; sequential round trip, 20 000 calls in flight, a 100 000-item
//           stream and retained heap, for bare window.postMessage, the batched limit over it, penpal 7
//           and portwire's windowEndpoint (runSuite's scenarios and method, bench/suite/windows/framePage.ts);
//   group:  a broadcast group of 3 tabs; callAll round trip, notify-all and retained heap after calls
//           to one member, for bare BroadcastChannel and portwire's broadcast() (suite/windows/groupTab.ts).
// Its own bundles, server (one port, two origins: 127.0.0.1 for the page, localhost for its iframes)
// and table.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { chromium } from '@playwright/test';
import { build } from 'vite';
import { chromiumLaunchOptions } from './chromium.mjs';
import { cacheDir, root } from './paths.mjs';
import { staticFiles } from './serve.mjs';
import { summarize } from './summarize.mjs';

const dir = `${cacheDir}windows/`;
const MB = 1024 * 1024;

const html = (script) => `<!doctype html>\n<meta charset="utf-8">\n<link rel="icon" href="data:,">\n<body>\n<script type="module" src="./${script}.js"></script>\n`;

async function buildWindows() {
  const s = 'bench/suite/windows/';
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    build: {
      outDir: dir,
      emptyOutDir: true,
      minify: false,
      target: 'es2022',
      lib: { entry: { 'frame-page': `${s}framePage.ts`, frame: `${s}frame.ts`, group: `${s}groupTab.ts` }, formats: ['es'] },
      rolldownOptions: { external: [/^node:/] },
    },
  });
  writeFileSync(`${dir}index.html`, html('frame-page'));
  writeFileSync(`${dir}frame.html`, html('frame'));
  writeFileSync(`${dir}group.html`, html('group'));
}

/**
 * Serves `dir` (staticFiles) cross-origin isolated, its resources embeddable from the other origin (CORP), on
 * 127.0.0.1 and, at the same port, on ::1 where there is one: `localhost` reaches either.
 */
async function serveTwoOrigins(from) {
  const onRequest = staticFiles(from);
  const v4 = createServer(onRequest);
  await new Promise((resolve) => v4.listen(0, '127.0.0.1', resolve));
  const port = v4.address().port;
  const v6 = createServer(onRequest);
  await new Promise((resolve) => v6.once('error', resolve).listen(port, '::1', resolve));
  return {
    page: `http://127.0.0.1:${port}/`,
    close: () => {
      v4.close();
      v6.close();
    },
  };
}

const launchOptions = chromiumLaunchOptions([
  '--js-flags=--expose-gc',
  '--enable-blink-features=ForceEagerMeasureMemory',
  // Three tabs run at once: none of them is a background tab to be throttled.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
]);

const forward = (page, tag) => {
  page.on('console', (message) => process.stderr.write(`${message.text()}\n`));
  page.on('pageerror', (error) => process.stderr.write(`[${tag}] page error: ${error.stack ?? error}\n`));
};

async function runFrames(browser, url, config) {
  const page = await browser.newPage();
  forward(page, 'iframe');
  await page.goto(`${url}index.html`);
  await page.waitForFunction(() => typeof window.runFrameBench === 'function');
  const result = await page.evaluate((c) => window.runFrameBench(c), config);
  await page.close();
  return { ...result, version: browser.version() };
}

async function runGroup(browser, url, config) {
  const context = await browser.newContext();
  const members = [];
  for (let i = 0; i < 2; i++) {
    const member = await context.newPage();
    forward(member, 'group');
    await member.goto(`${url}group.html?role=member`);
    await member.waitForFunction(() => window.groupReady === true);
    members.push(member);
  }
  const caller = await context.newPage();
  forward(caller, 'group');
  await caller.goto(`${url}group.html?role=caller`);
  await caller.waitForFunction(() => typeof window.runGroupBench === 'function');
  const result = await caller.evaluate((c) => window.runGroupBench(c), config);
  await context.close();
  return { ...result, version: browser.version() };
}

/** The configs of both rows, from the main suite's. */
export function windowsConfig(suite) {
  const quick = suite.concurrentCalls < 20_000;
  // The main suite's scenarios these rows share (all of them when none is named: BENCH_SCENARIOS=iframe).
  const named = suite.scenarios.filter((s) => ['seq', 'concurrent', 'stream', 'memory'].includes(s));
  const scenarios = named.length ? named : ['seq', 'concurrent', 'stream', 'memory'];
  return {
    iframe: {
      ...suite,
      contenders: ['bare', 'limit', 'port', 'penpal', 'portwire'],
      scenarios,
      // window.postMessage to a frame in another process answers ~3k calls/s, penpal ~5k: their
      // memory rows make at most 50 000 calls (the target is portwire's).
      memoryCallsFor: { bare: Math.min(suite.memoryCalls, 50_000), port: Math.min(suite.memoryCalls, 200_000), penpal: Math.min(suite.memoryCalls, 50_000) },
    },
    group: {
      rounds: suite.rounds,
      seqCalls: quick ? 300 : 2_000,
      notifications: quick ? 2_000 : 20_000,
      memoryCalls: suite.memoryCalls,
      // Bare BroadcastChannel answers ~8k addressed calls/s: at most 200 000 of them.
      memoryCallsFor: { bare: Math.min(suite.memoryCalls, 200_000) },
      memoryChunk: suite.memoryChunk,
      scenarios: ['callAll', 'notify', ...(scenarios.includes('memory') ? ['memory'] : [])],
    },
  };
}

/** Runs the rows named in `which` ('iframe', 'group'); returns { iframe?: { result, summary }, group?: { result, summary } }. */
export async function runWindowsBench(which, suite) {
  const configs = windowsConfig(suite);
  await buildWindows();
  const server = await serveTwoOrigins(dir);
  const browser = await chromium.launch(launchOptions);
  const out = {};
  try {
    if (which.includes('iframe')) {
      const result = await runFrames(browser, server.page, configs.iframe);
      out.iframe = { result, summary: summarize(result) };
    }
    if (which.includes('group')) {
      const result = await runGroup(browser, server.page, configs.group);
      out.group = { result, summary: summarize(result) };
    }
  } finally {
    await browser.close();
    server.close();
  }
  return out;
}

const kb = (bytes) => `${bytes >= 0 ? '+' : ''}${(bytes / 1024).toFixed(0)} KB`;
const ratio = (v) => (v == null ? '—' : `${v.toFixed(2)}×`);
const n = (v) => Math.round(v).toLocaleString('en-US');

function table(rows) {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => String(row[col]).length)));
  const right = new Set([2, 3, 4, 5]);
  return rows.map((row) => row.map((c, col) => (right.has(col) ? String(c).padStart(widths[col]) : String(c).padEnd(widths[col]))).join('  ').trimEnd()).join('\n');
}

const IFRAME_NOTES = {
  bare: 'window.postMessage + id Map',
  limit: 'bare + per-microtask batching, 256-item window',
  port: 'bare over a MessagePort handed to the iframe: the floor after a handshake',
  penpal: 'penpal 7 defaults; stream: a page method called per item (not awaited)',
  portwire: 'windowEndpoint (a private MessagePort after the handshake), defaults',
};

export function formatWindows({ iframe, group }) {
  const parts = [];
  if (iframe) {
    const { result, summary } = iframe;
    const rows = [['scenario', 'contender', 'figure', '× bare', '× limit', '× penpal', 'how']];
    const specs = {
      seq: ['sequential round trip', 'µs/call', (v) => v.toFixed(1), 'lower'],
      concurrent: [`${n(result.config.concurrentCalls).replaceAll(',', ' ')} calls in flight`, 'calls/s', n, 'higher'],
      stream: [`${n(result.config.streamItems).replaceAll(',', ' ')}-item stream`, 'items/s', n, 'higher'],
    };
    for (const [scenario, [title, unit, fmt, better]] of Object.entries(specs)) {
      const by = summary[scenario];
      if (!by) continue;
      const labels = [title, `  (${better} is better)`];
      for (const c of result.config.contenders) {
        const s = by[c];
        if (!s) continue;
        rows.push([labels.shift() ?? '', c, `${fmt(s.median)} ${unit}`, ratio(s.vsBare), ratio(s.vsLimit), ratio(s.vsPenpal), IFRAME_NOTES[c]]);
      }
    }
    const labels = ['retained heap after N calls', '  (page + iframe, after GC)'];
    for (const c of result.config.contenders) {
      const m = result.memory?.[c];
      if (!m) continue;
      rows.push([labels.shift() ?? '', c, kb(m.growth), '', '', '', `N = ${n(m.calls)} in ${m.seconds.toFixed(1)} s; page ${kb(m.after.main - m.before.main)}, iframe ${kb(m.after.worker - m.before.worker)}`]);
    }
    parts.push(`Chromium ${result.version} headless (page ↔ cross-origin iframe) — medians of ${result.config.rounds} interleaved rounds; ratios: median of per-round ratios; ${result.seconds.toFixed(0)} s\n${table(rows)}`);
  }
  if (group) {
    const { result, summary } = group;
    const rows = [['scenario', 'contender', 'figure', '× bare', '', '', 'how']];
    const specs = {
      callAll: ['callAll round trip (2 members)', 'µs/call', (v) => v.toFixed(1), 'lower'],
      notify: ['notify-all', 'notes/s', n, 'higher'],
    };
    const notes = { bare: 'BroadcastChannel, one post per call or note, answers on the channel', portwire: 'broadcast() group, defaults' };
    for (const [scenario, [title, unit, fmt, better]] of Object.entries(specs)) {
      const by = summary[scenario];
      if (!by) continue;
      const labels = [title, `  (${better} is better)`];
      for (const c of ['bare', 'portwire']) {
        const s = by[c];
        if (s) rows.push([labels.shift() ?? '', c, `${fmt(s.median)} ${unit}`, ratio(s.vsBare), '', '', notes[c]]);
      }
    }
    const labels = ['retained heap after N calls', '  to one member (all tabs)'];
    for (const c of ['bare', 'portwire']) {
      const m = result.memory?.[c];
      if (!m) continue;
      rows.push([labels.shift() ?? '', c, kb(m.growth), '', '', '', `N = ${n(m.calls)} in ${m.seconds.toFixed(1)} s; caller ${kb(m.after.main - m.before.main)}, members ${kb(m.after.worker - m.before.worker)}`]);
    }
    parts.push(`Chromium ${result.version} headless (broadcast group of 3 tabs) — medians of ${result.samples.callAll?.bare?.length ?? 0} interleaved rounds; ${result.seconds.toFixed(0)} s\n${table(rows.map((r) => r.filter((_, i) => i !== 4 && i !== 5)))}`);
  }
  return parts.join('\n\n');
}

/** Targets of "Speed, round two" for these rows: ≥ 10× penpal in flight, ≤ 0.6× its round trip. */
export function checkWindowTargets(windows) {
  const targets = [];
  const add = (name, ok, detail) => targets.push({ host: 'iframe', name, source: 'issue', ok, detail });
  const by = windows.iframe?.summary;
  const vsPenpal = (scenario) => by?.[scenario]?.portwire?.vsPenpal ?? null;
  const x = (v) => (v == null ? 'n/a' : `${v.toFixed(2)}×`);
  const conc = vsPenpal('concurrent');
  const seq = vsPenpal('seq');
  add('calls in flight ≥ 10× penpal', conc == null ? null : conc >= 10, x(conc));
  // The floor: one post per call on a bare port, where penpal and windowEndpoint both end up.
  const floor = by?.seq?.port?.vsPenpal;
  add('round trip ≤ 0.6× penpal', seq == null ? null : seq <= 0.6, floor == null ? x(seq) : `${x(seq)} (bare port: ${x(floor)})`);
  const memory = windows.iframe?.result.memory?.portwire;
  if (memory) add(`retained ≤ 1 MB after ${n(memory.calls)} calls (iframe)`, memory.growth <= MB, `${(memory.growth / 1024).toFixed(0)} KB`);
  const group = windows.group?.result.memory?.portwire;
  if (group) targets.push({ host: 'group', name: `retained ≤ 1 MB after ${n(group.calls)} calls (group peer)`, source: 'issue', ok: group.growth <= MB, detail: `${(group.growth / 1024).toFixed(0)} KB` });
  return targets;
}

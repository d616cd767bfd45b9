import { PORTWIRE_WINDOW } from './notes.mjs';
import { CORE_BROTLI_LIMIT, CORE_BUDGET } from './sizes.mjs';
import { scenarioSpecs } from './summarize.mjs';

// The targets of issue #4, of "Speed, round two" (#12) and of DESIGN.md "Performance targets",
// checked against one run.
// Each is { host, name, source, ok, detail }; ok is null when the run did not measure it.

const MB = 1024 * 1024;
const atMost = (value, limit) => (value == null ? null : value <= limit);
const atLeast = (value, limit) => (value == null ? null : value >= limit);

export function checkTargets(hosts, sizes) {
  const targets = [];
  const add = (host, name, source, ok, detail) => targets.push({ host, name, source, ok, detail });
  for (const [host, { summary, result }] of Object.entries(hosts)) {
    const pw = (scenario) => summary[scenario]?.portwire;
    const title = scenarioSpecs(result.config);
    const x = (v) => (v == null ? 'n/a' : `${v.toFixed(2)}×`);

    const seq = pw('seq');
    add(host, 'sequential round trip ≤ 1.15× bare', 'issue, DESIGN', atMost(seq?.vsBare, 1.15), x(seq?.vsBare));
    add(host, 'sequential round trip ≤ 1.05× limit', '#12', atMost(seq?.vsLimit, 1.05), x(seq?.vsLimit));

    const conc = pw('concurrent');
    add(host, `${title.concurrent.title} ≥ 2× bare`, 'issue', atLeast(conc?.vsBare, 2), x(conc?.vsBare));
    add(host, `${title.concurrent.title} ≥ 0.8× limit`, '#12, DESIGN', atLeast(conc?.vsLimit, 0.8), x(conc?.vsLimit));

    const stream = pw('stream');
    const ahead = result.maxAhead?.portwire;
    add(host, `${title.stream.title} ≥ 1.5× bare`, 'issue', atLeast(stream?.vsBare, 1.5), x(stream?.vsBare));
    // #12: 0.6× in Chromium (DESIGN's figure), 0.5× in Node.
    const streamTarget = host === 'node' ? 0.5 : 0.6;
    add(host, `${title.stream.title} ≥ ${streamTarget}× limit`, '#12, DESIGN', atLeast(stream?.vsLimit, streamTarget), x(stream?.vsLimit));
    // +1: credit is returned when the reader takes an item from next(), a moment before its loop
    // body (which counts it as handled) runs.
    add(host, `producer within its window (${PORTWIRE_WINDOW} + 1 in hand)`, 'issue, DESIGN', atMost(ahead, PORTWIRE_WINDOW + 1), ahead == null ? 'n/a' : `at most ${ahead} ahead`);

    const transfer = pw('transfer');
    const moved = result.moved?.portwire;
    add(host, `${title.transfer.title} ≤ 1.5× bare`, 'issue, DESIGN', atMost(transfer?.vsBare, 1.5), x(transfer?.vsBare));
    add(host, `${title.transfer.title}: moved both ways`, 'issue, DESIGN', moved ? moved.caller && moved.worker : null, moved ? `caller ${moved.caller ? 'moved' : 'copied'}, worker ${moved.worker ? 'moved' : 'copied'}` : 'n/a');

    const memory = result.memory?.portwire;
    add(host, `retained ≤ 1 MB after ${memory ? memory.calls.toLocaleString('en-US') : '1 000 000'} calls`, 'issue', memory ? memory.growth <= MB : null, memory ? `${(memory.growth / 1024).toFixed(0)} KB` : 'n/a');
  }
  if (sizes) {
    const core = sizes[0];
    add('size', `core ≤ ${CORE_BUDGET} B brotli (package budget)`, 'package test', core.brotli <= CORE_BUDGET, `${core.brotli} B`);
    add('size', `core ≤ ${CORE_BROTLI_LIMIT} B brotli`, 'issue, DESIGN', core.brotli <= CORE_BROTLI_LIMIT, `${core.brotli} B`);
  }
  return targets;
}

export function formatTargets(targets) {
  return targets
    .map((t) => `${t.ok === null ? 'SKIP' : t.ok ? 'PASS' : 'FAIL'}  ${t.host.padEnd(8)} ${t.name.padEnd(44)} ${t.detail.padEnd(26)} (${t.source})`)
    .join('\n');
}

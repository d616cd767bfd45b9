import { CONTENDER_NOTES, STREAM_NOTES } from './notes.mjs';
import { scenarioSpecs } from './summarize.mjs';

// The human-readable table: per host, per scenario, each contender's median figure, its ratio to
// bare postMessage and to the batched limit, and what it did when contenders differ.

const fmt = {
  'µs/call': (v) => v.toFixed(1),
  'calls/s': (v) => Math.round(v).toLocaleString('en-US'),
  'items/s': (v) => Math.round(v).toLocaleString('en-US'),
  ms: (v) => (v < 10 ? v.toFixed(2) : v.toFixed(1)),
};
const kb = (bytes) => `${bytes >= 0 ? '+' : ''}${(bytes / 1024).toFixed(0)} KB`;
const ratio = (v) => (v == null ? '—' : `${v.toFixed(2)}×`);

function table(rows) {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => String(row[col]).length)));
  const right = new Set([2, 3, 4]);
  return rows
    .map((row) =>
      row
        .map((cell, col) => (right.has(col) ? String(cell).padStart(widths[col]) : String(cell).padEnd(widths[col])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function note(scenario, contender, result) {
  if (scenario === 'stream') {
    const ahead = result.maxAhead?.[contender];
    return `${STREAM_NOTES[contender]}${ahead == null ? '' : `; ≤ ${ahead.toLocaleString('en-US')} ahead`}`;
  }
  if (scenario === 'transfer') {
    const moved = result.moved?.[contender];
    if (!moved) return '';
    if (moved.caller && moved.worker) return 'moved both ways';
    if (!moved.caller && !moved.worker) return contender === 'birpc' ? 'copied both ways (no transfer lists)' : 'copied both ways';
    return `there ${moved.caller ? 'moved' : 'copied'}, back ${moved.worker ? 'moved' : 'copied'}`;
  }
  return CONTENDER_NOTES[contender] ?? '';
}

export function formatHost(host, { result, summary }) {
  const rounds = result.config.rounds;
  const head = `${host === 'node' ? `Node ${result.version ?? ''} (worker_threads)` : `Chromium ${result.version ?? ''} headless (page ↔ dedicated Worker)`}` +
    ` — figure: median of ${rounds} interleaved rounds${result.config.collect === false ? ', no garbage collection between samples (BENCH_COLLECT=0)' : ''}; ratios: median of per-round ratios; ${result.seconds.toFixed(0)} s`;
  const rows = [['scenario', 'contender', 'figure', '× bare', '× limit', 'how']];
  for (const [scenario, spec] of Object.entries(scenarioSpecs(result.config))) {
    const byContender = summary[scenario];
    if (!byContender) continue;
    const labels = [spec.title, `  (${spec.better} is better)`];
    for (const contender of result.config.contenders) {
      const s = byContender[contender];
      if (!s) continue;
      const label = labels.shift() ?? '';
      rows.push([label, contender, `${fmt[spec.unit](s.median)} ${spec.unit}`, ratio(s.vsBare), ratio(s.vsLimit), note(scenario, contender, result)]);
    }
  }
  const memory = result.memory ?? {};
  const labels = ['retained heap after N calls', '  (caller + worker, after GC)'];
  for (const contender of result.config.contenders) {
    const m = memory[contender];
    if (!m) continue;
    rows.push([
      labels.shift() ?? '',
      contender,
      kb(m.growth),
      '',
      '',
      `N = ${m.calls.toLocaleString('en-US')} in ${m.seconds.toFixed(1)} s; caller ${kb(m.after.main - m.before.main)}, worker ${kb(m.after.worker - m.before.worker)}`,
    ]);
  }
  return `${head}\n${table(rows)}`;
}

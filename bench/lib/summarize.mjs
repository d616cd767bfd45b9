// Turns raw per-round samples into medians and ratios. Ratios are taken round by round (each
// contender against bare / the batched limit measured in the same round), then the median of those.

const n = (value) => value.toLocaleString('en-US').replaceAll(',', ' ');

/** Titles carry the sizes of the run, so a quick run does not claim full-size figures. */
export const scenarioSpecs = (config) => ({
  seq: { title: 'sequential round trip', unit: 'µs/call', better: 'lower' },
  concurrent: { title: `${n(config.concurrentCalls)} calls in flight`, unit: 'calls/s', better: 'higher' },
  stream: { title: `${n(config.streamItems)}-item stream`, unit: 'items/s', better: 'higher' },
  transfer: { title: `${n(config.transferBytes / 1024 / 1024)} MB there and back`, unit: 'ms', better: 'lower' },
});

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const ratios = (values, baseline) => median(values.map((value, round) => value / baseline[round]));

/**
 * { [scenario]: { [contender]: { median, vsBare, vsLimit, vsPenpal, samples } } }; a ratio is null
 * where its baseline did not run.
 */
export function summarize(result) {
  const summary = {};
  for (const [scenario, byContender] of Object.entries(result.samples)) {
    summary[scenario] = {};
    for (const [contender, samples] of Object.entries(byContender)) {
      summary[scenario][contender] = {
        median: median(samples),
        vsBare: byContender.bare ? ratios(samples, byContender.bare) : null,
        vsLimit: byContender.limit ? ratios(samples, byContender.limit) : null,
        vsPenpal: byContender.penpal ? ratios(samples, byContender.penpal) : null,
        samples,
      };
    }
  }
  return summary;
}

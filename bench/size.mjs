// npm run size: minified ESM bytes (raw, gzip, brotli) of each public entry.
// SIZE_STRICT=1 exits non-zero when the tree-shaken core is over DESIGN's 4 KB brotli.
import { CORE_BROTLI_LIMIT, formatSizes, measureSizes } from './lib/sizes.mjs';

const sizes = await measureSizes();
console.log(formatSizes(sizes));
const core = sizes[0];
const ok = core.brotli <= CORE_BROTLI_LIMIT;
console.log(`\n${ok ? 'PASS' : 'FAIL'}  ${core.name}: ${core.brotli} B brotli (target ≤ ${CORE_BROTLI_LIMIT} B)`);
if (!ok && process.env.SIZE_STRICT === '1') process.exit(1);

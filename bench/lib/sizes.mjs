import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'vite';
import { cacheDir, root } from './paths.mjs';

/** What each public entry costs a user who imports it alone: its own minified ESM bundle. */
export const ENTRIES = [
  { name: 'portwire (core + MessagePort)', specifier: 'portwire', source: 'src/index.ts' },
  { name: 'portwire/node (core + worker_threads)', specifier: 'portwire/node', source: 'src/node/index.ts' },
];
export const CORE_BROTLI_LIMIT = 4096;

async function bundle(source, outDir) {
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      minify: true,
      sourcemap: false,
      target: 'es2022',
      // Not lib mode: Vite keeps whitespace and comments in lib ES output, which is not what a
      // user's minifying bundler ships. A plain build of the entry with its exports kept is.
      rolldownOptions: {
        input: source,
        preserveEntrySignatures: 'strict',
        external: [/^node:/],
        output: { format: 'es', entryFileNames: 'entry.js' },
      },
    },
  });
  return readFileSync(`${outDir}entry.js`);
}

/** Raw, gzip (level 9) and brotli (quality 11) bytes of each entry. */
export async function measureSizes() {
  const sizes = [];
  for (const [i, entry] of ENTRIES.entries()) {
    const code = await bundle(entry.source, `${cacheDir}size/${i}/`);
    sizes.push({
      ...entry,
      raw: code.length,
      gzip: gzipSync(code, { level: 9 }).length,
      brotli: brotliCompressSync(code, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: code.length },
      }).length,
    });
  }
  return sizes;
}

export function formatSizes(sizes) {
  const rows = [['entry', 'minified', 'gzip', 'brotli'], ...sizes.map((s) => [s.name, s.raw, s.gzip, s.brotli].map(String))];
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
  return rows
    .map((row) => row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]) : cell.padStart(widths[col]))).join('  '))
    .join('\n');
}

import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'vite';
import { cacheDir, root } from './paths.mjs';

/**
 * What the usual import costs (first: the core and MessagePort, tree-shaken), then each public entry
 * whole: each its own minified ESM bundle.
 */
export const ENTRIES = [
  { name: '{ expose, connect, transfer } from portwire', specifier: 'core', source: 'bench/suite/coreImport.ts' },
  { name: 'portwire (whole entry)', specifier: 'portwire', source: 'src/index.ts' },
  { name: 'portwire/node (whole entry)', specifier: 'portwire/node', source: 'src/node/index.ts' },
];
/** DESIGN.md's goal for the core (Comlink 1.9 KB, penpal 3.4 KB). */
export const CORE_BROTLI_LIMIT = 4096;
/**
 * What the package test holds the core to, from the installed package: a guard against creep, so
 * set just above what it is (6 707 B since a throwing onError can no longer stop a batch).
 */
export const CORE_BUDGET = 6720;

/**
 * Bundles `source` (a path relative to `projectRoot`, or absolute) as a user's minifying bundler
 * would, and returns the code. Bare imports such as 'portwire' resolve from `projectRoot`.
 */
export async function bundle(source, outDir, projectRoot = root) {
  await build({
    configFile: false,
    root: projectRoot,
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
        // Node built-ins and Electron are the platform's, never bundled.
        external: [/^node:/, /^electron(\/|$)/],
        output: { format: 'es', entryFileNames: 'entry.js' },
      },
    },
  });
  return readFileSync(`${outDir}entry.js`);
}

/** Raw, gzip (level 9) and brotli (quality 11) bytes of some code. */
export function sizesOf(code) {
  return {
    raw: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: code.length },
    }).length,
  };
}

/** Bundles each of `entries` ({ name, source }) under `projectRoot` and measures it. */
export async function measureEntries(entries, { projectRoot = root, outDir = `${cacheDir}size/` } = {}) {
  const sizes = [];
  for (const [i, entry] of entries.entries()) {
    const code = await bundle(entry.source, `${outDir}${i}/`, projectRoot);
    sizes.push({ ...entry, ...sizesOf(code) });
  }
  return sizes;
}

/** The sizes of the public entries, bundled from src/ (`npm run size`). */
export const measureSizes = () => measureEntries(ENTRIES);

export function formatSizes(sizes) {
  const rows = [['entry', 'minified', 'gzip', 'brotli'], ...sizes.map((s) => [s.name, s.raw, s.gzip, s.brotli].map(String))];
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
  return rows
    .map((row) => row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]) : cell.padStart(widths[col]))).join('  '))
    .join('\n');
}

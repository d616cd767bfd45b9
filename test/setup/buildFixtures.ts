import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/** Where the worker_threads fixtures land, as plain ESM that Node runs without a TS loader. */
export const fixturesOut = fileURLToPath(new URL('../../node_modules/.cache/portwire-fixtures/', import.meta.url));

// Worker threads run plain JavaScript: bundle each test/fixtures/*.worker.ts once before the suites.
export default async function setup(): Promise<void> {
  const dir = fileURLToPath(new URL('../fixtures/', import.meta.url));
  const entries = Object.fromEntries(
    readdirSync(dir)
      .filter((file) => file.endsWith('.worker.ts'))
      .map((file) => [file.replace(/\.ts$/, ''), `${dir}${file}`]),
  );
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir: fixturesOut,
      emptyOutDir: true,
      minify: false,
      target: 'node18',
      lib: { entry: entries, formats: ['es'] },
      rolldownOptions: { external: [/^node:/] },
    },
  });
}

import { writeFileSync } from 'node:fs';
import { build } from 'vite';
import { cacheDir, root } from './paths.mjs';

// Bundles the bench suite (and portwire straight from src/) with Vite: Node 20 and a browser
// worker cannot run TypeScript. Not minified, so CPU profiles read with real names.

const bundle = (outDir, entry, target) =>
  build({
    configFile: false,
    root,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      minify: false,
      target,
      lib: { entry, formats: ['es'] },
      rolldownOptions: { external: [/^node:/] },
    },
  });

const page = `<!doctype html>
<meta charset="utf-8">
<title>portwire bench</title>
<link rel="icon" href="data:,">
<script type="module" src="./page.js"></script>
`;

/** Builds both hosts; returns where their files are. */
export async function buildBench() {
  const node = `${cacheDir}node/`;
  const web = `${cacheDir}web/`;
  await bundle(node, { 'node-main': 'bench/suite/node/main.ts', 'node-worker': 'bench/suite/node/worker.ts' }, 'node18');
  await bundle(web, { page: 'bench/suite/web/page.ts', worker: 'bench/suite/web/worker.ts' }, 'es2022');
  writeFileSync(`${web}index.html`, page);
  return { nodeMain: `${node}node-main.js`, nodeWorker: `${node}node-worker.js`, webDir: web };
}

// Builds the demo app into electron/out/ with Vite: main and the utility job (ESM for Electron's
// Node), the preload (one CommonJS file, as a sandboxed preload must be) and the page.
// portwire itself comes from src/ (aliases below), so no `npm run build` is needed first.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const here = fileURLToPath(new URL('./', import.meta.url));
export const outDir = `${here}out`;
const src = (path) => fileURLToPath(new URL(`../src/${path}`, import.meta.url));

const alias = [
  { find: /^portwire\/electron\/(main|preload|renderer|utility)$/, replacement: src('electron/$1.ts') },
  { find: /^portwire$/, replacement: src('index.ts') },
];
const common = { configFile: false, logLevel: 'warn', resolve: { alias } };
// Electron's own modules and Node's are the runtime's, never bundled.
const external = ['electron', /^node:/];

export async function buildApp() {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  // Electron runs out/ as the app: its package.json names the ESM main.
  writeFileSync(`${outDir}/package.json`, `${JSON.stringify({ name: 'portwire-electron-demo', private: true, type: 'module', main: 'main.js' }, null, 2)}\n`);
  await build({
    ...common,
    build: {
      outDir,
      emptyOutDir: false,
      target: 'node20',
      minify: false,
      lib: { entry: { main: `${here}src/main.ts`, job: `${here}src/job.ts` }, formats: ['es'] },
      rolldownOptions: { external },
    },
  });
  await build({
    ...common,
    build: {
      outDir,
      emptyOutDir: false,
      target: 'es2022',
      minify: false,
      lib: { entry: `${here}src/preload.ts`, formats: ['cjs'], fileName: () => 'preload.cjs' },
      rolldownOptions: { external },
    },
  });
  await build({
    ...common,
    root: `${here}src/renderer`,
    // Relative URLs: served from app://app/ (or file://, for a look without Electron).
    base: './',
    build: { outDir: `${outDir}/renderer`, emptyOutDir: true, target: 'es2022' },
  });
  return outDir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildApp();
  console.log(`electron demo built in ${outDir}`);
}

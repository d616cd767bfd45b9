import { defineConfig, type Plugin } from 'vite';

// The preload Electron loads by path (portwire/electron/preload): ONE CommonJS file that requires
// nothing but 'electron', as a sandboxed preload must, so everything else is inlined. Built after
// `vite build` (which empties dist/), into dist/electron/ beside the ESM entries.
//
// Its types: tsc -p tsconfig.preload.json writes the declarations it needs into
// dist/electron/preload-types/, a folder whose package.json says "commonjs", so they describe a
// CommonJS module as the .cjs is one; preload.d.cts re-exports them.
const cjsTypes: Plugin = {
  name: 'portwire:preload-types',
  generateBundle() {
    this.emitFile({ type: 'asset', fileName: 'preload.d.cts', source: "export * from './preload-types/electron/preload.js';\n" });
    this.emitFile({ type: 'asset', fileName: 'preload-types/package.json', source: '{ "type": "commonjs" }\n' });
  },
};

export default defineConfig({
  build: {
    outDir: 'dist/electron',
    emptyOutDir: false,
    target: 'es2022',
    minify: false,
    sourcemap: false,
    lib: { entry: 'src/electron/preload.ts', formats: ['cjs'], fileName: () => 'preload.cjs' },
    rolldownOptions: { external: ['electron'] },
  },
  plugins: [cjsTypes],
});

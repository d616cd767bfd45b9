/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// One config: `vite build` builds the library, `vite` serves the demo (demo/) and the pages the
// Playwright suite drives (e2e/pages/), and Vitest runs the Node suites in test/.
export default defineConfig({
  build: {
    target: 'es2022',
    minify: false,
    sourcemap: true,
    lib: {
      entry: { index: 'src/index.ts', node: 'src/node/index.ts' },
      formats: ['es'],
    },
    rolldownOptions: {
      external: [/^node:/],
    },
  },
  server: {
    port: Number(process.env.PORT ?? 5173),
    strictPort: true,
    open: process.env.CI || process.env.PW_TEST ? false : '/demo/',
  },
  worker: { format: 'es' },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/buildFixtures.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    execArgv: ['--expose-gc'],
  },
});

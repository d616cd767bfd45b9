/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';

// The repo root has no page of its own: send `/` to the demo, so `npm run demo` lands on it.
const rootToDemo: Plugin = {
  name: 'portwire:root-to-demo',
  configureServer(server) {
    server.middlewares.use((req, res, next) => {
      const path = req.url?.split('?')[0];
      if (path !== '/' && path !== '/index.html') return next();
      res.statusCode = 302;
      res.setHeader('Location', '/demo/');
      res.end();
    });
  },
};

// One config: `vite build` builds the library, `vite` serves the demo (demo/) and the pages the
// Playwright suite drives (e2e/pages/), and Vitest runs the Node suites in test/.
export default defineConfig({
  build: {
    target: 'es2022',
    minify: false,
    sourcemap: true,
    lib: {
      entry: {
        index: 'src/index.ts',
        node: 'src/node/index.ts',
        // Electron's main process, its pages and utility processes; the preload is a CommonJS
        // file of its own (vite.preload.config.ts).
        'electron/main': 'src/electron/main.ts',
        'electron/renderer': 'src/electron/renderer.ts',
        'electron/utility': 'src/electron/utility.ts',
      },
      formats: ['es'],
    },
    rolldownOptions: {
      external: [/^node:/],
    },
  },
  plugins: [rootToDemo],
  server: {
    port: Number(process.env.PORT ?? 5173),
    strictPort: true,
    open: process.env.CI || process.env.PW_TEST ? false : '/demo/',
    // Under Playwright a file saved mid-run would reload pages in the middle of a test.
    hmr: !process.env.PW_TEST,
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

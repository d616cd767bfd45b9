// Shared with the bench and the package tests, which launch Chromium from plain Node scripts.
import { chromiumArgs, chromiumPath } from './bench/lib/chromium.mjs';
import { defineConfig } from '@playwright/test';

// Its own port, so a running `npm run demo` (5173) does not clash; PW_PORT moves it.
const PORT = Number(process.env.PW_PORT ?? 5174);

// The system Chromium where there is one (PORTWIRE_CHROMIUM overrides it), else Playwright's own.
export default defineConfig({
  testDir: 'e2e',
  testIgnore: ['**/e2e/electron/**'],
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: 'list',
  timeout: 30_000,
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: {
          ...(chromiumPath ? { executablePath: chromiumPath } : {}),
          args: chromiumArgs,
        },
      },
    },
  ],
  webServer: {
    // The same dev server as `npm run demo`; it serves /demo/ and the pages under /e2e/pages/.
    command: `npx vite`,
    env: { PW_TEST: '1', PORT: String(PORT) },
    url: `http://localhost:${PORT}/demo/`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});

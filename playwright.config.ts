import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

// Its own port, so a running `npm run demo` (5173) does not clash; PW_PORT moves it.
const PORT = Number(process.env.PW_PORT ?? 5174);

// Playwright cannot download browsers on our CI machines, so use the system Chromium there;
// elsewhere (Mac, Windows) fall back to Playwright's own browser.
const executablePath =
  process.env.PORTWIRE_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

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
          ...(executablePath ? { executablePath } : {}),
          args: [
            // We run as root in containers, where Chromium refuses its sandbox.
            '--no-sandbox',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
            '--disable-gpu',
          ],
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

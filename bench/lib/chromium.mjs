import { existsSync } from 'node:fs';

// The Chromium choice playwright.config.ts makes, for plain Node scripts that launch it
// themselves: Playwright cannot download browsers on our CI machines, so use the system Chromium
// there (PORTWIRE_CHROMIUM overrides it); elsewhere fall back to Playwright's own browser.
export const chromiumPath =
  process.env.PORTWIRE_CHROMIUM || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export const chromiumArgs = [
  // We run as root in containers, where Chromium refuses its sandbox.
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-gpu',
];

/** Options for playwright's `chromium.launch()`; `extraArgs` go after the common flags. */
export const chromiumLaunchOptions = (extraArgs = []) => ({
  headless: true,
  args: [...chromiumArgs, ...extraArgs],
  ...(chromiumPath ? { executablePath: chromiumPath } : {}),
});

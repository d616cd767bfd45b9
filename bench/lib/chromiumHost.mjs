import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium.mjs';
import { profileChromium } from './chromiumProfiler.mjs';
import { serve } from './serve.mjs';

// gc() in the page and its workers, and a memory measurement that does not wait for the next GC.
const launchOptions = chromiumLaunchOptions(['--js-flags=--expose-gc', '--enable-blink-features=ForceEagerMeasureMemory']);

/**
 * Runs the suite in headless Chromium: the page calls, dedicated Workers answer. With `profile`,
 * the page and each worker are profiled through CDP into bench/results/profiles/.
 */
export async function runChromiumHost(files, config, { profile = false } = {}) {
  const server = await serve(files.webDir);
  const browser = await chromium.launch(launchOptions);
  try {
    const page = await browser.newPage();
    page.on('console', (message) => process.stderr.write(`${message.text()}\n`));
    page.on('pageerror', (error) => process.stderr.write(`[chromium] page error: ${error.stack ?? error}\n`));
    await page.goto(`${server.url}index.html`);
    await page.waitForFunction(() => typeof window.runBench === 'function');
    const running = page.evaluate((c) => window.runBench(c), config);
    running.catch(() => {}); // awaited below, after profiling is set up
    const stopProfiling = profile ? await profileChromium(browser, page, config.contenders.length) : undefined;
    const result = await running;
    await stopProfiling?.();
    return { ...result, version: browser.version() };
  } finally {
    await browser.close();
    server.close();
  }
}

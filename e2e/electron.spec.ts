// The Electron demo app (electron/), driven by Playwright's _electron: main ↔ renderer calls, a
// stream from main, renderer ↔ renderer over a brokered port, a utilityProcess job and a refused
// foreign sender. It needs an Electron binary (ELECTRON_OVERRIDE_DIST_PATH, or the electron
// package's dist/): where there is none, every test here is reported as skipped with the reason,
// never as passed.
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { findElectron } from '../electron/binary.mjs';
import { buildApp } from '../electron/build.mjs';

const found = findElectron();
if (!found.path) console.log(`e2e/electron.spec.ts: skipped, no Electron binary: ${found.why}`);

test.describe('Electron demo app', () => {
  test.describe.configure({ mode: 'serial', timeout: 60_000 });
  test.skip(!found.path, `no Electron binary: ${found.why}`);

  let app: ElectronApplication;
  let page: Page;
  test.beforeAll(async () => {
    const dir = await buildApp();
    // Chromium refuses to run as root with its sandbox on (containers, CI).
    const args = [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), dir];
    app = await electron.launch({ executablePath: found.path!, args });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });
  test.afterAll(async () => {
    await app?.close();
  });

  test('the page calls main, and main notifies the page', async () => {
    await expect(page.locator('#versions')).toContainText(/^Electron \d+/);
    await page.click('#add');
    await expect(page.locator('#add-status')).toHaveText('main says 2 + 3 = 5');
    await expect(page.locator('#notices')).toContainText('main: hello from Electron');
    expect(await page.evaluate(() => Object.keys((window as unknown as { portwire: object }).portwire))).toEqual(['connect']);
    expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
  });

  test('a stream from main, stopped by the page: main’s finally runs', async () => {
    await page.click('#clock-start');
    await expect(page.locator('#clock-status')).toContainText(/[3-9]\d* ticks streamed from main|\d{2,} ticks/);
    await page.click('#clock-stop');
    await expect(page.locator('#clock-status')).toContainText('stopped after');
    await expect(page.locator('#notices')).toContainText('the clock stream stopped');
  });

  test('renderer ↔ renderer through a port main brokered: calls and a zero-copy buffer', async () => {
    const opened = app.waitForEvent('window');
    await page.click('#open-peer');
    const second = await opened;
    await page.click('#say-hello');
    await expect(page.locator('#peer-status')).toContainText('hello back from the second window');
    await page.click('#send-bytes');
    await expect(page.locator('#peer-status')).toContainText('moved 8388608 bytes to the second window; here the buffer is now 0 bytes');
    await expect(second.locator('#peer-log')).toContainText('received 8388608 bytes');
  });

  test('a job in a utility process streams its progress through main', async () => {
    await page.click('#job-run');
    await expect(page.locator('#job-status')).toContainText('done in utility process', { timeout: 30_000 });
    expect(await page.locator('#job-progress').evaluate((bar) => (bar as HTMLProgressElement).value)).toBe(1);
  });

  test('a foreign page with the same preload is refused by the sender check', async () => {
    await page.click('#foreign');
    await expect(page.locator('#foreign-status')).toHaveText("main refused the foreign page's port request: origin");
    await expect(page.locator('#notices')).toContainText('main ignored a port request from a data: page (origin)');
  });
});

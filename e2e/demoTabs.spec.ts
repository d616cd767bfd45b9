import { expect, test, type Page } from '@playwright/test';

// The demo's Tabs and Windows pages, clicked through as a person would, in one browser context.

const failOnPageError = (page: Page, errors: string[]) => page.on('pageerror', (error) => errors.push(error.message));

test('tabs: presence with one leader, a counter kept in step by notify, callAll answers, a stream from another tab', async ({ context }) => {
  const errors: string[] = [];
  const [a, b] = [await context.newPage(), await context.newPage()];
  for (const page of [a, b]) failOnPageError(page, errors);
  await a.goto('/demo/tabs.html');
  await b.goto('/demo/tabs.html');
  for (const page of [a, b]) {
    await expect(page.locator('#members li')).toHaveCount(2);
    await expect(page.locator('#members .badge')).toHaveCount(1);
  }
  // Both tabs agree on who leads.
  const leaderOf = (page: Page) => page.locator('#members li:has(.badge)').getAttribute('data-id');
  expect(await leaderOf(a)).toBe(await leaderOf(b));

  await a.getByRole('button', { name: '+1 everywhere' }).click();
  await a.getByRole('button', { name: '+1 everywhere' }).click();
  await expect(b.locator('#count')).toHaveText('2');
  await b.getByRole('button', { name: '+1 everywhere' }).click();
  await expect(a.locator('#count')).toHaveText('3');

  await b.getByRole('button', { name: 'Ask every tab' }).click();
  await expect(b.locator('#answers li')).toHaveCount(1);
  await expect(b.locator('#answers li')).toHaveText(/^tab \w+ says hi to \w+$/);

  await b.getByRole('button', { name: 'Watch' }).click();
  await expect(b.locator('#clock')).toHaveText(/^\d\d:\d\d:\d\d\.\d$/);
  const first = await b.locator('#clock').textContent();
  await expect(b.locator('#clock')).not.toHaveText(first!);
  await b.getByRole('button', { name: 'Stop' }).click();
  await expect(b.locator('#clock-status')).toHaveText(/^Stopped/);

  // The leader's tab closes: the other tab is alone and leads.
  const leader = (await leaderOf(a)) === (await a.locator('#members li', { hasText: 'this tab' }).getAttribute('data-id')) ? a : b;
  const other = leader === a ? b : a;
  await leader.close();
  await expect(other.locator('#members li')).toHaveCount(1);
  await expect(other.locator('#members li .badge')).toHaveCount(1);
  await expect(other.locator('#presence-status')).toHaveText('0 other tabs here; this tab leads.');
  expect(errors).toEqual([]);
});

test('windows: a popup streams what is typed, is painted by an upload, and closing it ends both streams', async ({ page }) => {
  const errors: string[] = [];
  failOnPageError(page, errors);
  await page.goto('/demo/windows.html');
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Open the popup' }).click()]);
  failOnPageError(popup, errors);
  await expect(popup.locator('#status')).toHaveText('Connected to the opener.');

  // Keystrokes come faster than the stream is read: the last one must still arrive.
  await popup.locator('#text').pressSequentially('hello from the popup');
  await expect(page.locator('#typed')).toHaveText('hello from the popup');

  await popup.getByRole('button', { name: 'Wave at the opener' }).click();
  await expect(page.locator('#from-popup li')).toHaveCount(1);

  await page.getByRole('button', { name: 'Paint the popup' }).click();
  await expect.poll(() => popup.locator('#canvas').evaluate((body) => body.style.background)).toMatch(/rgb/);
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.locator('#paint-status')).toHaveText(/^Stopped after \d+ colours\.$/);

  await page.getByRole('button', { name: 'Paint the popup' }).click();
  await expect(page.locator('#paint-status')).toHaveText('Painting…');
  await page.getByRole('button', { name: 'Close it' }).click();
  await expect(page.locator('#paint-status')).toHaveText(/^Ended — PeerClosedError/);
  await expect(page.locator('#typing-status')).toHaveText(/^The stream ended — PeerClosedError/);
  await expect(page.getByRole('button', { name: 'Open the popup' })).toBeEnabled();
  expect(errors).toEqual([]);
});

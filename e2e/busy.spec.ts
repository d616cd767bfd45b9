import { expect, test } from '@playwright/test';

// A module worker whose generator spins 100 ms per item and never awaits anything but its yield.
const N = 10;
const MS = 100;

test.beforeEach(async ({ page }) => {
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto('/e2e/pages/busy.html');
  await page.waitForFunction(() => typeof window.busy === 'object');
});

test('items of a CPU-bound generator arrive while it computes the next ones', async ({ page }) => {
  const { producedWhenAsked, items } = await page.evaluate(([n, ms]) => window.busy.firstItem(n, ms), [N, MS] as const);
  expect(items).toBe(N);
  // Asked on the first item, the worker answers between two of its items, not after all ten.
  expect(producedWhenAsked).toBeLessThanOrEqual(3);
});

test('$terminate() ends a worker stuck in a synchronous call; its pending call rejects at once', async ({ page }) => {
  // No heartbeat and a 30 s default timeout: only terminate() can end this call promptly.
  expect(await page.evaluate(() => window.busy.terminateBusy())).toEqual({
    error: 'PeerClosedError',
    message: 'portwire: the worker was terminated',
    laterCall: 'PeerClosedError',
  });
});

test('a break lands within about one item of the producer’s work', async ({ page }) => {
  const { produced, error } = await page.evaluate(([n, ms]) => window.busy.stopAt(n, ms, 3, 'break'), [N, MS] as const);
  expect(error).toBeUndefined();
  expect(produced).toBeGreaterThanOrEqual(4);
  expect(produced).toBeLessThanOrEqual(6);
});

test('an abort lands within about one item of the producer’s work', async ({ page }) => {
  const { produced, error } = await page.evaluate(([n, ms]) => window.busy.stopAt(n, ms, 1, 'abort'), [N, MS] as const);
  expect(error).toBe('AbortError');
  expect(produced).toBeLessThanOrEqual(4);
});

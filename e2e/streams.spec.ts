import { expect, test, type Page } from '@playwright/test';

const COUNT = 100_000;
const SUM = (COUNT * (COUNT - 1)) / 2;

test.beforeEach(async ({ page }) => {
  await page.goto('/e2e/pages/streams.html');
  await page.waitForFunction(() => typeof window.streams === 'object');
});

const report = (page: Page) => page.evaluate(() => window.streams.report());

test('100 000 items stream out of a worker, in order, while 100 000 stream into it', async ({ page }) => {
  const { download, upload } = await page.evaluate((count) => window.streams.both(count), COUNT);
  expect(download).toEqual({ received: COUNT, inOrder: true });
  expect(upload).toEqual({ count: COUNT, total: SUM });
  await expect.poll(() => report(page)).toEqual({ produced: COUNT, finallyRan: [`numbers:${COUNT}`] });
});

test('break half-way through the download runs the worker generator’s finally; the upload still completes', async ({ page }) => {
  const half = COUNT / 2;
  const { download, upload } = await page.evaluate(([count, at]) => window.streams.both(count, at), [COUNT, half] as const);
  expect(download).toEqual({ received: half + 1, inOrder: true });
  expect(upload).toEqual({ count: COUNT, total: SUM });
  // The generator's finally runs once the cancel reaches the worker.
  await expect.poll(async () => (await report(page)).finallyRan).toEqual([`numbers:${COUNT}`]);
  // Credits keep the producer at most one window ahead of what the page read.
  const { produced } = await report(page);
  const credit = await page.evaluate(() => window.streams.window);
  expect(produced).toBeGreaterThan(half);
  expect(produced).toBeLessThanOrEqual(half + 1 + credit);
});

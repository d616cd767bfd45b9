import { expect, test, type Page } from '@playwright/test';

// demo/pool.html: the Mandelbrot set in 64 tiles, rendered by a pool whose size the visitor
// picks, each tile tinted by the worker that drew it.

const TILES = 64;

/** Distinct colours on the canvas, whether every pixel was painted, and a hash of the image. */
const canvasInfo = (page: Page) =>
  page.locator('#fractal').evaluate((canvas: HTMLCanvasElement) => {
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    const colours = new Set<number>();
    let painted = true;
    let hash = 0;
    for (let i = 0; i < data.length; i += 4) {
      const rgb = (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
      colours.add(rgb);
      hash = (hash * 31 + rgb) | 0;
      painted &&= data[i + 3] === 255;
    }
    return { count: colours.size, painted, hash };
  });

/** The tile count each listed worker shows. */
const tileCounts = (page: Page) => page.locator('#workers li[data-id] .tiles').allTextContents().then((texts) => texts.map(Number));

test('renders across the chosen number of workers, tints each worker’s tiles, and Cancel stops a heavy render', async ({ page }) => {
  // Four renders of 64 tiles on workers that share two cores with the other suites: more than the
  // default 30 s on a loaded machine (CI ran out of it at the heavy render's Cancel).
  test.setTimeout(90_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/demo/pool.html');
  await expect(page.getByRole('link', { name: 'Pool' })).toHaveAttribute('aria-current', 'page');
  const status = page.locator('#render-status');
  // Renders get time to spare: the first one also waits for the dev server to build the workers.
  const RENDER = { timeout: 15_000 };

  await page.getByLabel('Workers').selectOption('2');
  await expect(page.locator('#workers li[data-id]')).toHaveCount(2);
  await page.getByRole('button', { name: 'Render', exact: true }).click();
  await expect(status).toHaveText(/^Rendered 64 tiles on 2 workers in [\d,]+ ms\.$/, RENDER);
  const counts = await tileCounts(page);
  expect(counts, 'both workers drew tiles').toHaveLength(2);
  expect(counts.every((n) => n > 0)).toBe(true);
  expect(counts.reduce((a, b) => a + b, 0)).toBe(TILES);
  const tinted = await canvasInfo(page);
  expect(tinted.painted, 'every pixel painted').toBe(true);
  expect(tinted.count, 'a fractal, not a flat fill').toBeGreaterThan(50);

  // The same picture untinted is a different image: the tint is what shows who drew what.
  await page.getByLabel('Tint by worker').uncheck();
  await page.getByRole('button', { name: 'Render', exact: true }).click();
  await expect(status).toHaveText(/^Rendered 64 tiles on 2 workers/, RENDER);
  expect((await canvasInfo(page)).hash).not.toBe(tinted.hash);
  await page.getByLabel('Tint by worker').check();

  await page.getByLabel('Workers').selectOption('3');
  await expect(page.locator('#workers li[data-id]')).toHaveCount(3);
  await page.getByRole('button', { name: 'Render', exact: true }).click();
  await expect(status).toHaveText(/^Rendered 64 tiles on 3 workers/, RENDER);
  const three = await tileCounts(page);
  expect(three.reduce((a, b) => a + b, 0)).toBe(TILES);
  expect(three.filter((n) => n > 0).length, 'at least two of the three drew tiles').toBeGreaterThanOrEqual(2);

  await page.getByRole('button', { name: /Heavy render/ }).click();
  await expect(status).toHaveText(/^Rendering 64 tiles on 3 workers, 20,000 iterations/);
  await expect(page.locator('#workers .badge', { hasText: 'busy' }).first()).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(status).toHaveText(/^Cancelled — AbortError: portwire: call to "tile" was aborted/);
  // The workers are free again: a quick render is answered at once rather than after the heavy one.
  await page.getByRole('button', { name: 'Render', exact: true }).click();
  await expect(status).toHaveText(/^Rendered 64 tiles on 3 workers/, RENDER);
  expect(errors).toEqual([]);
});

test('every demo page links to the pool page', async ({ page }) => {
  for (const path of ['/demo/', '/demo/tabs.html', '/demo/windows.html']) {
    await page.goto(path);
    await expect(page.locator('nav').getByRole('link', { name: 'Pool' })).toHaveAttribute('href', './pool.html');
  }
});

import { expect, test, type Page } from '@playwright/test';

const LIMIT = 2_000_000_000;
const number = (text: string | null) => Number((text ?? '').replace(/[^\d]/g, ''));
const frames = (page: Page) => page.locator('#frames').textContent().then(number);

/** Distinct colours on the canvas, and whether every pixel was painted. */
const canvasColours = (page: Page) =>
  page.locator('#fractal').evaluate((canvas: HTMLCanvasElement) => {
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    const colours = new Set<number>();
    let painted = true;
    for (let i = 0; i < data.length; i += 4) {
      colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
      painted &&= data[i + 3] === 255;
    }
    return { count: colours.size, painted };
  });

test('renders in the worker, stays responsive, and Cancel stops a heavy render', async ({ page }) => {
  await page.goto('/');
  await expect(page, '`/` redirects to the demo').toHaveURL(/\/demo\/$/);
  const status = page.locator('#render-status');

  await page.getByRole('button', { name: 'Render', exact: true }).click();
  await expect(status).toHaveText(/^Rendered in [\d,]+ ms\.$/);
  const colours = await canvasColours(page);
  expect(colours.painted, 'every pixel painted').toBe(true);
  expect(colours.count, 'a fractal, not a flat fill').toBeGreaterThan(50);

  await page.getByRole('button', { name: /Heavy render/ }).click();
  await expect(status).toHaveText(/^Rendering with 100,000 iterations/);
  // The main thread keeps drawing frames while the worker is busy.
  const before = await frames(page);
  await expect.poll(() => frames(page)).toBeGreaterThan(before + 10);
  await expect(status, 'the heavy render was still running meanwhile').toHaveText(/^Rendering/);

  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(status).toHaveText(/^Cancelled — AbortError: portwire: call to "mandelbrot" was aborted/);
  await expect(page.getByRole('button', { name: 'Cancel' })).toBeDisabled();

  // The worker really stopped: a new render is answered instead of queueing behind the old one.
  await page.getByRole('button', { name: 'Render', exact: true }).click();
  await expect(status).toHaveText(/^Rendered in/);
});

test('streams progress live and Stop ends the worker’s generator', async ({ page }) => {
  await page.goto('/demo/');
  // A quick render first, so the screenshot below shows the whole demo.
  await page.getByRole('button', { name: 'Render', exact: true }).click();
  await expect(page.locator('#render-status')).toHaveText(/^Rendered/);

  const status = page.locator('#prime-status');
  const checked = () => page.locator('#checked').textContent().then(number);
  await page.getByRole('button', { name: /Count primes/ }).click();
  await expect(status).toHaveText('Counting in the worker…');
  await expect.poll(checked).toBeGreaterThan(0);
  const first = await checked();
  await expect.poll(checked, 'progress keeps arriving').toBeGreaterThan(first);
  expect(await page.locator('#prime-progress').evaluate((bar: HTMLProgressElement) => bar.value)).toBeGreaterThan(0);
  expect(number(await page.locator('#found').textContent())).toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(status).toHaveText(/^Stopped\. The worker's finally ran after checking up to [\d,]+\.$/);
  const stoppedAt = number(await status.textContent());
  expect(stoppedAt).toBeGreaterThanOrEqual(await checked());
  expect(stoppedAt).toBeLessThan(LIMIT);
  await expect(page.getByRole('button', { name: 'Stop' })).toBeDisabled();
  await expect(page.getByRole('button', { name: /Count primes/ })).toBeEnabled();

  await page.screenshot({ path: test.info().outputPath('demo.png'), fullPage: true });
});

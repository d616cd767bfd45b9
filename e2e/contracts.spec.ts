import { expect, test as base, type Page } from '@playwright/test';
import { contractCases } from '../test/contracts/cases';

// The same contract cases the Node suite runs, here in real Chromium over real browser workers.
const transports = ['dedicated Worker', 'SharedWorker'];

// Every case builds its own harness (a fresh worker or a fresh SharedWorker connection), so one
// loaded page per Playwright worker serves them all and the run skips a page load per case.
const test = base.extend<object, { contractPage: Page }>({
  contractPage: [
    async ({ browser }, use, workerInfo) => {
      const { baseURL } = workerInfo.project.use;
      const page = await browser.newPage(baseURL ? { baseURL } : {});
      await page.goto('/e2e/pages/contract.html');
      await page.waitForFunction(() => typeof window.runContractCase === 'function');
      await use(page);
      await page.close();
    },
    { scope: 'worker' },
  ],
});

for (const transport of transports) {
  test.describe(`contract: ${transport}`, () => {
    for (const name of Object.keys(contractCases)) {
      test(name, async ({ contractPage }) => {
        const result = await contractPage.evaluate(([t, n]) => window.runContractCase(t, n), [transport, name] as const);
        // On failure the diff shows the error and its stack as the page saw them.
        expect(result).toEqual({ ok: true });
      });
    }
  });
}

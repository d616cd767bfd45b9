import { expect, test as base, type Page } from '@playwright/test';
import { contractCases } from '../test/contracts/cases';

// The same contract cases the Node suite runs, here in real Chromium over real browser workers.
const transports = ['dedicated Worker', 'SharedWorker'];

/**
 * The loaded contract page, and every uncaught error seen in it so far: Chromium reports the
 * page's and its dedicated workers' uncaught exceptions and unhandled rejections as 'pageerror';
 * the SharedWorker's own are rethrown in the page by its harness (see sharedWorkerHarness.ts).
 */
type ContractPage = { page: Page; escaped: string[]; checked: number };

// Every case builds its own harness (a fresh worker or a fresh SharedWorker connection), so one
// loaded page per Playwright worker serves them all and the run skips a page load per case.
const test = base.extend<object, { contractPage: ContractPage }>({
  contractPage: [
    async ({ browser }, use, workerInfo) => {
      const { baseURL } = workerInfo.project.use;
      const page = await browser.newPage(baseURL ? { baseURL } : {});
      const escaped: string[] = [];
      page.on('pageerror', (error) => escaped.push(`pageerror: ${error.stack ?? error.message}`));
      await page.goto('/e2e/pages/contract.html');
      await page.waitForFunction(() => typeof window.runContractCase === 'function');
      const contractPage: ContractPage = { page, escaped, checked: 0 };
      try {
        await use(contractPage);
        // What escaped after the last case was checked fails the run (as a worker teardown error).
        expect(escaped.slice(contractPage.checked), 'uncaught errors in the page or its workers after the last case').toEqual([]);
      } finally {
        await page.close();
      }
    },
    { scope: 'worker' },
  ],
});

for (const transport of transports) {
  test.describe(`contract: ${transport}`, () => {
    for (const name of Object.keys(contractCases)) {
      test(name, async ({ contractPage }) => {
        const { page, escaped } = contractPage;
        const before = escaped.length;
        const result = await page.evaluate(([t, n]) => window.runContractCase(t, n), [transport, name] as const);
        // The page is shared by the cases of this Playwright worker: what escaped while this one ran is its own.
        const escapedHere = escaped.slice(before);
        contractPage.checked = escaped.length;
        // On failure the diff shows the error and its stack as the page saw them.
        expect(result).toEqual({ ok: true });
        expect(escapedHere, 'uncaught errors in the page or its workers while the case ran').toEqual([]);
      });
    }
  });
}

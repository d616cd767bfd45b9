import { expect, test as base, type Page } from '@playwright/test';
import { contractCases } from '../test/contracts/cases';

// The same contract cases the Node suite and the worker suites run, here over windowEndpoint:
// this page (http://localhost) ↔ a cross-origin iframe (http://127.0.0.1, same dev server).

/**
 * The loaded contract page, and every uncaught error seen in it or its frames so far: Playwright
 * reports a cross-origin iframe's uncaught errors and unhandled rejections as 'pageerror' too.
 */
type ContractPage = { page: Page; escaped: string[]; checked: number };

// Every case loads its own iframe, so one page per Playwright worker serves all cases.
const test = base.extend<object, { contractPage: ContractPage }>({
  contractPage: [
    async ({ browser }, use, workerInfo) => {
      const { baseURL } = workerInfo.project.use;
      const page = await browser.newPage(baseURL ? { baseURL } : {});
      const escaped: string[] = [];
      page.on('pageerror', (error) => escaped.push(`pageerror: ${error.stack ?? error.message}`));
      await page.goto('/e2e/pages/window.contract.html');
      await page.waitForFunction(() => typeof window.runWindowContractCase === 'function');
      const contractPage: ContractPage = { page, escaped, checked: 0 };
      try {
        await use(contractPage);
        expect(escaped.slice(contractPage.checked), 'uncaught errors in the page or its iframes after the last case').toEqual([]);
      } finally {
        await page.close();
      }
    },
    { scope: 'worker' },
  ],
});

test.describe('contract: windowEndpoint (page ↔ cross-origin iframe)', () => {
  for (const name of Object.keys(contractCases)) {
    test(name, async ({ contractPage }) => {
      const { page, escaped } = contractPage;
      const before = escaped.length;
      const result = await page.evaluate((n) => window.runWindowContractCase(n), name);
      const escapedHere = escaped.slice(before);
      contractPage.checked = escaped.length;
      expect(result).toEqual({ ok: true });
      expect(escapedHere, 'uncaught errors in the page or its iframes while the case ran').toEqual([]);
    });
  }
});

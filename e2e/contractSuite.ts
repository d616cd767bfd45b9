import { expect, test as base, type Page } from '@playwright/test';
import { contractCases } from '../test/contracts/cases';

/** One transport's run of the contract cases: `run` runs case `name` in the page and returns its outcome. */
export interface ContractTransport {
  title: string;
  run(page: Page, name: string): Promise<unknown>;
}

/**
 * Registers every contract case (test/contracts/cases.ts) for each transport, run inside one page
 * at `path` that is loaded once per Playwright worker (each case builds its own harness). Every
 * uncaught error Chromium reports for the page, its workers or its frames ('pageerror') fails the
 * case it happened in, or the run when it comes after the last one.
 */
export function contractSuite(path: string, ready: string, transports: ContractTransport[]): void {
  type ContractPage = { page: Page; escaped: string[]; checked: number };
  const test = base.extend<object, { contractPage: ContractPage }>({
    contractPage: [
      async ({ browser }, use, workerInfo) => {
        const { baseURL } = workerInfo.project.use;
        const page = await browser.newPage(baseURL ? { baseURL } : {});
        const escaped: string[] = [];
        page.on('pageerror', (error) => escaped.push(`pageerror: ${error.stack ?? error.message}`));
        await page.goto(path);
        await page.waitForFunction((name) => typeof (window as unknown as Record<string, unknown>)[name] === 'function', ready);
        const contractPage: ContractPage = { page, escaped, checked: 0 };
        try {
          await use(contractPage);
          expect(escaped.slice(contractPage.checked), 'uncaught errors after the last case').toEqual([]);
        } finally {
          await page.close();
        }
      },
      { scope: 'worker' },
    ],
  });

  for (const transport of transports) {
    test.describe(`contract: ${transport.title}`, () => {
      for (const name of Object.keys(contractCases)) {
        test(name, async ({ contractPage }) => {
          const { page, escaped } = contractPage;
          const before = escaped.length;
          const result = await transport.run(page, name);
          // The page is shared by the cases of this Playwright worker: what escaped while this one ran is its own.
          const escapedHere = escaped.slice(before);
          contractPage.checked = escaped.length;
          // On failure the diff shows the error and its stack as the page saw them.
          expect(result).toEqual({ ok: true });
          expect(escapedHere, 'uncaught errors in the page, its workers or frames while the case ran').toEqual([]);
        });
      }
    });
  }
}

import { contractSuite } from './contractSuite';

// The same contract cases the Node suite runs, here in real Chromium over real browser workers.
// Chromium reports the page's and its dedicated workers' uncaught errors as 'pageerror'; the
// SharedWorker's own are rethrown in the page by its harness (see sharedWorkerHarness.ts).
contractSuite(
  '/e2e/pages/contract.html',
  'runContractCase',
  ['dedicated Worker', 'SharedWorker'].map((title) => ({
    title,
    run: (page, name) => page.evaluate(([t, n]) => window.runContractCase(t, n), [title, name] as const),
  })),
);

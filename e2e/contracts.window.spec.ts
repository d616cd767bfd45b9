import { contractSuite } from './contractSuite';

// The same contract cases the Node suite and the worker suites run, here over windowEndpoint:
// this page (http://localhost) ↔ a cross-origin iframe (http://127.0.0.1, same dev server).
// Playwright reports a cross-origin iframe's uncaught errors as 'pageerror' too.
contractSuite('/e2e/pages/window.contract.html', 'runWindowContractCase', [
  { title: 'windowEndpoint (page ↔ cross-origin iframe)', run: (page, name) => page.evaluate((n) => window.runWindowContractCase(n), name) },
]);

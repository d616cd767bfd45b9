import { it } from 'vitest';
import { contractCases } from '../contracts/cases';
import type { HarnessFactory } from '../contracts/harness';

/** The shared cases that transfer an ArrayBuffer: Electron's main process cannot carry them. */
export const transferCases = Object.keys(contractCases).filter((name) => /transfer/i.test(name));

/**
 * Registers the shared contract cases against `make`. With `noTransfer` (why), the cases that
 * transfer buffers are reported as skipped with that reason; transfer.test.ts proves the refusal
 * instead. runContract.ts has no skip option, so the filter lives here.
 */
export function runElectronContract(make: HarnessFactory, noTransfer?: string): void {
  for (const [name, run] of Object.entries(contractCases)) {
    if (noTransfer && transferCases.includes(name)) it.skip(`${name} — skipped: ${noTransfer}`, () => {});
    else it(name, () => run(make));
  }
}

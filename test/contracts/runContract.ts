import { it } from 'vitest';
import { contractCases } from './cases';
import type { HarnessFactory } from './harness';

/** Registers every contract case as a Vitest test against `make`. */
export function runContract(make: HarnessFactory): void {
  for (const [name, run] of Object.entries(contractCases)) it(name, () => run(make));
}

import { it } from 'vitest';
import { contractCases } from './cases';
import type { HarnessFactory } from './harness';

export interface ContractOptions {
  /**
   * Cases this transport cannot meet by design, each with the reason (shown as a skipped test):
   * `{ 'transfer: …': 'BroadcastChannel cannot transfer' }`. A name that is no case is an error,
   * so a renamed case is never skipped silently.
   */
  skip?: Record<string, string>;
}

/** Registers every contract case as a Vitest test against `make`. */
export function runContract(make: HarnessFactory, options: ContractOptions = {}): void {
  const skip = options.skip ?? {};
  for (const name of Object.keys(skip)) {
    if (!(name in contractCases)) throw new Error(`runContract: no contract case is named "${name}"`);
  }
  for (const [name, run] of Object.entries(contractCases)) {
    if (name in skip) it.skip(`${name} (skipped: ${skip[name]})`, () => {});
    else it(name, () => run(make));
  }
}

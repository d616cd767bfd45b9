import { contractCases } from '../../test/contracts/cases';
import type { HarnessFactory } from '../../test/contracts/harness';
import { dedicatedWorkerHarness } from './dedicatedWorkerHarness';
import { sharedWorkerHarness } from './sharedWorkerHarness';

// Runs the environment-agnostic contract cases in the page; contracts.spec.ts drives one case per test.
const transports: Record<string, HarnessFactory> = {
  'dedicated Worker': dedicatedWorkerHarness,
  SharedWorker: sharedWorkerHarness,
};

export type CaseResult = { ok: true } | { ok: false; error: string };

declare global {
  interface Window {
    runContractCase(transport: string, name: string): Promise<CaseResult>;
  }
}

window.runContractCase = async (transport, name) => {
  const make = transports[transport];
  const run = contractCases[name];
  if (!make) return { ok: false, error: `no transport named ${transport}` };
  if (!run) return { ok: false, error: `no contract case named ${name}` };
  try {
    await run(make);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? String(error.stack ?? error) : String(error) };
  }
};

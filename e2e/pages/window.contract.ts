import { contractCases } from '../../test/contracts/cases';
import { windowHarness } from './windowHarness';

// Runs the environment-agnostic contract cases in this page against a cross-origin iframe over
// windowEndpoint; contracts.window.spec.ts drives one case per test.

export type WindowCaseResult = { ok: true } | { ok: false; error: string };

declare global {
  interface Window {
    runWindowContractCase(name: string): Promise<WindowCaseResult>;
  }
}

window.runWindowContractCase = async (name) => {
  const run = contractCases[name];
  if (!run) return { ok: false, error: `no contract case named ${name}` };
  try {
    await run(windowHarness);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? String(error.stack ?? error) : String(error) };
  }
};

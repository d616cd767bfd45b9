import { connect } from '../../src/index';
import type { BusyApi } from './busy.worker';

const remote = connect<BusyApi>(new Worker(new URL('./busy.worker.ts', import.meta.url), { type: 'module' }));

declare global {
  interface Window {
    busy: {
      /** Reads `n` items of `ms` each; on the first item asks the worker how far it got. */
      firstItem(n: number, ms: number): Promise<{ producedWhenAsked: number; items: number }>;
      /** Reads until item `at`, then leaves by `break` or by abort; returns the worker's report once its `finally` ran. */
      stopAt(n: number, ms: number, at: number, how: 'break' | 'abort'): Promise<{ produced: number; error: string | undefined }>;
      /** Starts a long synchronous call on a fresh worker, then terminates it; returns how the call ended. */
      terminateBusy(): Promise<{ error: string; message: string; laterCall: string }>;
    };
  }
}

const settled = async () => {
  for (;;) {
    const report = await remote.report();
    if (report.finallyRan) return report;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

window.busy = {
  async terminateBusy() {
    const fresh = connect<BusyApi>(new Worker(new URL('./busy.worker.ts', import.meta.url), { type: 'module' }));
    await fresh.report();
    const call = fresh.block(60_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    fresh.$terminate();
    const error = await call.then(() => undefined, (e: Error) => e);
    const later = await fresh.report().then(() => 'resolved', (e: Error) => e.name);
    return { error: error?.name ?? 'none', message: error?.message ?? '', laterCall: later };
  },
  async firstItem(n, ms) {
    let producedWhenAsked = -1;
    let items = 0;
    for await (const i of remote.work(n, ms)) {
      // Answered at the worker's next turn: at the next yield if the generator lets the event
      // loop run, only after its last item if it does not.
      if (i === 0) producedWhenAsked = (await remote.report()).produced;
      items++;
    }
    return { producedWhenAsked, items };
  },
  async stopAt(n, ms, at, how) {
    const controller = new AbortController();
    let error: string | undefined;
    try {
      for await (const i of remote.$call('work', [n, ms], { signal: controller.signal })) {
        if (i !== at) continue;
        if (how === 'break') break;
        controller.abort();
      }
    } catch (e) {
      error = (e as Error).name;
    }
    return { produced: (await settled()).produced, error };
  },
};

import { context, transfer, type Middleware, type Remote } from '../../src/index';

// The handlers both windows of e2e/windows.spec.ts expose (the top page as `name` 'top', each
// child window under its own name), so every feature can be driven from either side.

/** Counts handler invocations: the proof that junk reached no handler is this staying put. */
export function counting(counter: { handled: number }): Middleware {
  return (_ctx, next) => {
    counter.handled++;
    return next();
  };
}

export function createWindowApi(name: string) {
  const state = { notes: [] as unknown[], aborted: [] as string[], handled: 0 };
  const caller = () => context<Remote<WindowApi>>().remote;
  const api = {
    whoami: () => name,
    add: (a: number, b: number) => a + b,
    note(value: unknown): void {
      state.notes.push(value);
    },
    notes: () => [...state.notes],
    handled: () => state.handled,
    hang(key: string): Promise<never> {
      const { signal } = context();
      return new Promise((_, reject) =>
        signal.addEventListener('abort', () => {
          state.aborted.push(key);
          reject(signal.reason);
        }),
      );
    },
    async *count(to: number, delayMs = 0) {
      for (let i = 0; i < to; i++) {
        if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
        yield i;
      }
    },
    async sum(values: AsyncIterable<number>): Promise<number> {
      let total = 0;
      for await (const value of values) total += value;
      return total;
    },
    byteLength: (buffer: ArrayBuffer) => buffer.byteLength,
    makeBuffer(size: number): ArrayBuffer {
      const buffer = new ArrayBuffer(size);
      new Uint8Array(buffer).fill(7);
      return transfer(buffer, [buffer]);
    },
    // ── the same features, started by this side towards the caller ──
    /** Calls the caller back. */
    async callBack(value: string): Promise<string> {
      const remote = caller(); // context() before the first await
      return `${name}:${await remote.whoami()}:${await remote.add(value.length, 1)}`;
    },
    /** Notifies the caller `count` times. */
    notifyBack(count: number): void {
      const remote = caller();
      for (let i = 0; i < count; i++) remote.$notify('note', `${name}:${i}`);
    },
    /** Reads the caller's stream (a download from the caller's side). */
    async readBack(to: number): Promise<number[]> {
      const seen: number[] = [];
      for await (const value of caller().count(to)) seen.push(value);
      return seen;
    },
    /** Uploads 0..to-1 to the caller's `sum`. */
    async uploadBack(to: number): Promise<number> {
      async function* values() {
        for (let i = 0; i < to; i++) yield i;
      }
      return caller().sum(values());
    },
    /** Moves a buffer to the caller: [the caller's byteLength, this side's byteLength after]. */
    async transferBack(size: number): Promise<[number, number]> {
      const buffer = new ArrayBuffer(size);
      const seen = await caller().byteLength(transfer(buffer, [buffer]));
      return [seen, buffer.byteLength];
    },
    /** Leaves: this window reloads, navigates or closes once the answer is out. */
    leave(how: 'reload' | 'navigate' | 'close', url = ''): void {
      setTimeout(() => (how === 'reload' ? location.reload() : how === 'navigate' ? location.assign(url) : close()), 10);
    },
  };
  return { api, state };
}

export type WindowApi = ReturnType<typeof createWindowApi>['api'];

/** How a promise settled, plain enough to cross into the test; `ms` from when it was made. */
export interface Settled {
  settled: 'resolved' | 'rejected';
  value?: unknown;
  name?: string;
  code?: unknown;
  message?: string;
  ms: number;
}

export function settle(promise: Promise<unknown>): Promise<Settled> {
  const t0 = performance.now();
  return promise.then(
    (value) => ({ settled: 'resolved' as const, value, ms: performance.now() - t0 }),
    (error: { name?: unknown; code?: unknown; message?: unknown }) => ({
      settled: 'rejected' as const,
      name: String(error?.name),
      code: error?.code,
      message: String(error?.message),
      ms: performance.now() - t0,
    }),
  );
}

/** A test command between the windows of the spec (never a portwire message). */
export interface Command {
  op: string;
  id: number;
  [key: string]: unknown;
}

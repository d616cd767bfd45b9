import { context, transfer } from '../../src/index';

/** What the far side of every contract test calls back on the near side. */
export interface NearApi {
  ping(value: string): string;
}

class AppError extends Error {
  status = 418;
  constructor(message: string, options?: ErrorOptions & { code?: string }) {
    super(message, options);
    this.name = 'AppError';
    if (options?.code) (this as unknown as { code: string }).code = options.code;
  }
}

class Counter {
  #count = 0;
  bump(by: number): number {
    this.#count += by;
    return this.#count;
  }
}

/**
 * The handlers every transport's far side exposes. State is per instance, so each harness gets a
 * fresh one, and tests can read back what the far side saw (`state()`).
 */
export function createFixtureApi() {
  const state = {
    notes: [] as unknown[],
    aborted: [] as string[],
    finallyRan: [] as string[],
    produced: 0,
  };
  return {
    add: (a: number, b: number) => a + b,
    echo: <T>(value: T): T => value,
    async later<T>(value: T, ms: number): Promise<T> {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return value;
    },
    /** Waits until aborted; records the abort. */
    hang(key: string): Promise<never> {
      const { signal } = context();
      return new Promise((_, reject) => {
        signal.addEventListener('abort', () => {
          state.aborted.push(key);
          reject(signal.reason);
        });
      });
    },
    fail(message: string): never {
      throw new AppError(message, { code: 'E_APP', cause: new RangeError('inner cause') });
    },
    throwValue(value: unknown): never {
      throw value;
    },
    uncloneableResult: () => () => 'functions do not clone',
    uncloneableError(): never {
      const error = new Error('carries a function') as Error & { fn?: unknown };
      error.fn = () => {};
      throw error;
    },
    note(value: unknown): void {
      state.notes.push(value);
    },
    failNote(): void {
      throw new Error('notification handler failed');
    },
    byteLength: (buffer: ArrayBuffer) => buffer.byteLength,
    /** Fills a new buffer and transfers it back. */
    makeBuffer(size: number): ArrayBuffer {
      const buffer = new ArrayBuffer(size);
      new Uint8Array(buffer).fill(7);
      return transfer(buffer, [buffer]);
    },
    /** Returns the same buffer, moved back. */
    bounce: (buffer: ArrayBuffer) => transfer(buffer, [buffer]),
    /** Calls the caller back through the context. */
    async callBack(value: string): Promise<string> {
      const { remote } = context<{ ping(value: string): Promise<string> }>();
      return `far:${await remote.ping(value)}`;
    },
    math: {
      mul: (a: number, b: number) => a * b,
    },
    counter: new Counter(),
    // ── streams ──
    async *count(to: number, delayMs = 0) {
      try {
        for (let i = 0; i < to; i++) {
          state.produced++;
          if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
          yield i;
        }
      } finally {
        state.finallyRan.push(`count:${to}`);
      }
    },
    async *failAfter(items: number, message: string) {
      for (let i = 0; i < items; i++) yield i;
      throw new AppError(message, { code: 'E_STREAM' });
    },
    async *buffers(count: number, size: number) {
      for (let i = 0; i < count; i++) {
        const buffer = new ArrayBuffer(size);
        yield transfer(buffer, [buffer]);
      }
    },
    async sum(values: AsyncIterable<number>): Promise<number> {
      let total = 0;
      for await (const value of values) total += value;
      return total;
    },
    async takeFirst(values: AsyncIterable<number>, n: number): Promise<number[]> {
      const taken: number[] = [];
      for await (const value of values) {
        taken.push(value);
        if (taken.length === n) break;
      }
      return taken;
    },
    async *double(values: AsyncIterable<number>) {
      for await (const value of values) yield value * 2;
    },
    state: () => ({ ...state, notes: [...state.notes], aborted: [...state.aborted], finallyRan: [...state.finallyRan] }),
  };
}

export type FixtureApi = ReturnType<typeof createFixtureApi>;

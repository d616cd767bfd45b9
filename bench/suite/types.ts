/** What the scenarios drive on the calling side (the page, or Node's main thread). */
export interface Client {
  /** A tiny call: `a + b` computed on the worker. */
  add(a: number, b: number): Promise<number>;
  /** Integers 0..n-1 produced on the worker, handed to `onItem` in order; resolves once all arrived. */
  stream(n: number, onItem: (value: number) => void): Promise<void>;
  /** Sends `buffer` to the worker and gets it back, moved both ways when the contender can move it. */
  echo(buffer: ArrayBuffer): Promise<ArrayBuffer>;
}

/** A raw endpoint, for the contenders that talk postMessage themselves (bare, batched limit, birpc). */
export interface Port {
  post(data: unknown, transfer?: Transferable[]): void;
  listen(handler: (data: unknown) => void): void;
}

export const CONTENDERS = ['bare', 'limit', 'comlink', 'birpc', 'portwire'] as const;
export type ContenderName = (typeof CONTENDERS)[number];

/** Sizes of one run; run.mjs derives them from BENCH_* variables. */
export interface SuiteConfig {
  rounds: number;
  contenders: ContenderName[];
  seqCalls: number;
  concurrentCalls: number;
  streamItems: number;
  transferBytes: number;
  memoryCalls: number;
  /** Fewer calls for slow contenders, to keep a run short (their figure is context, not a target). */
  memoryCallsFor: Partial<Record<ContenderName, number>>;
  memoryChunk: number;
  scenarios: string[];
  /** Whether both sides collect garbage before each timed sample. */
  collect: boolean;
}

/** One contender running in its own worker, as a host starts it. */
export interface Contender {
  name: ContenderName;
  client: Client;
  /** Slots shared with the worker (see probe.ts). */
  shared: Int32Array;
  /** Resolves once the worker has handled what was sent to it before (a contender's leftover work). */
  settle(): Promise<unknown>;
  /** Full GC on both sides (before every sample, so no contender inherits another's garbage or external memory). */
  collect(): Promise<void>;
  /** Collects garbage on both sides, then reads the JS heap in use on each side, in bytes. */
  memory(): Promise<{ main: number; worker: number }>;
}

export interface Host {
  name: 'node' | 'chromium';
  start(name: ContenderName): Promise<Contender>;
  log(line: string): void;
}

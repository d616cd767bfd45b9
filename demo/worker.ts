import { context, expose, transfer } from '../src/index';
import { renderRows, type View } from './mandelbrot';
import { countPrimes, type PrimeProgress } from './primes';

/** How a prime count ended: where it got to, and whether it reached its limit or was stopped. */
export interface PrimeSummary extends PrimeProgress {
  complete: boolean;
}

// A call handler that computes for long runs in slices of about this many milliseconds: between
// slices the worker's event loop gets a turn, which is when an abort can reach it. (A generator
// needs none of this: portwire lets the event loop turn between its items by itself.)
const SLICE_MS = 12;
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

let lastPrimeCount = Promise.resolve<PrimeSummary>({ checked: 0, found: 0, largest: 0, complete: false });

const api = {
  /** Renders the Mandelbrot set; the image comes back as a transferred RGBA buffer (no copy). */
  async mandelbrot(view: View): Promise<ArrayBuffer> {
    // The call's context must be read before the first await.
    const { signal } = context();
    const pixels = new Uint8ClampedArray(view.width * view.height * 4);
    let row = 0;
    while (row < view.height) {
      const sliceEnd = performance.now() + SLICE_MS;
      for (; row < view.height && performance.now() < sliceEnd; row++) renderRows(pixels, view, row, row + 1);
      await nextTask();
      // Rejecting with the signal's reason ends the handler; the caller already has its AbortError.
      signal.throwIfAborted();
    }
    return transfer(pixels.buffer, [pixels.buffer]);
  },

  /** Streams the running tally of a prime count; the caller's `break` lands in `finally`. */
  async *countPrimes(limit: number): AsyncGenerator<PrimeProgress> {
    let progress: PrimeProgress = { checked: 0, found: 0, largest: 0 };
    let settle!: (summary: PrimeSummary) => void;
    lastPrimeCount = new Promise((resolve) => (settle = resolve));
    try {
      // Plain synchronous work between yields: each tally still streams out as it is made, and
      // the page's Stop lands within about one segment.
      for (progress of countPrimes(limit)) yield progress;
    } finally {
      settle({ ...progress, complete: progress.checked >= limit });
    }
  },

  /** How the latest prime count ended; answers once its generator's `finally` has run. */
  lastPrimeCount: () => lastPrimeCount,
};

export type DemoApi = typeof api;

expose(api);

/** The running tally of a prime count. */
export interface PrimeProgress {
  /** Every number below this has been checked. */
  checked: number;
  /** Primes found below `checked`. */
  found: number;
  /** The largest prime found so far. */
  largest: number;
}

/** All primes up to `n`, by the plain sieve of Eratosthenes. */
function primesUpTo(n: number): number[] {
  const composite = new Uint8Array(n + 1);
  const primes: number[] = [];
  for (let i = 2; i <= n; i++) {
    if (composite[i]) continue;
    primes.push(i);
    for (let j = i * i; j <= n; j += i) composite[j] = 1;
  }
  return primes;
}

/**
 * Counts the primes below `limit` with a segmented sieve, one tally per segment of `segmentSize`
 * numbers, so a caller can report progress (and stop) between segments.
 */
export function* countPrimes(limit: number, segmentSize = 1 << 18): Generator<PrimeProgress> {
  const base = primesUpTo(Math.ceil(Math.sqrt(limit)));
  const composite = new Uint8Array(segmentSize);
  const tally: PrimeProgress = { checked: 2, found: 0, largest: 0 };
  for (let low = 2; low < limit; low += segmentSize) {
    const high = Math.min(low + segmentSize, limit);
    composite.fill(0);
    for (const p of base) {
      if (p * p >= high) break;
      // The first multiple of p in the segment, never p itself.
      for (let m = Math.max(p * p, Math.ceil(low / p) * p); m < high; m += p) composite[m - low] = 1;
    }
    for (let i = 0; i < high - low; i++) {
      if (composite[i]) continue;
      tally.found++;
      tally.largest = low + i;
    }
    tally.checked = high;
    yield { ...tally };
  }
}

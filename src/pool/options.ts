import { checkOptions } from '../groups/options.js';
import type { PoolOptions } from './types.js';

/** A call's timeout when none is given: a Peer's own default. */
export const DEFAULT_TIMEOUT = 30_000;
export const DEFAULT_IDLE_TIMEOUT = 30_000;
const MAX_TIMER = 2_147_483_647;

/** A pool's options, checked and filled in. */
export interface Settings {
  size: number;
  concurrency: number;
  eager: boolean;
  /** 0: idle workers stay. */
  idleTimeout: number;
  holdStreams: boolean;
  idempotent: ReadonlySet<string>;
  /** 0: no timeout. */
  timeout: number;
  /** 0: off. */
  heartbeat: number;
}

const whole = (name: string, value: number): number => {
  if (!(Number.isInteger(value) && value >= 1)) throw new RangeError(`portwire: ${name} must be an integer >= 1, got ${value}`);
  return value;
};

/** A timeout in milliseconds as a number for timers: 0 for none (`0` or `Infinity` given). */
export function timeoutOf(value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (value === Infinity) return 0;
  if (!(value >= 0 && value <= MAX_TIMER)) throw new RangeError(`portwire: timeout must be a number >= 0, got ${value}`);
  return value;
}

/**
 * Checks a pool's options when it is made (a `RangeError` for what makes no sense) and fills in
 * the defaults; `cores` is what the platform reports.
 */
export function settle(options: PoolOptions, cores: number): Settings {
  // A pool's workers are busy by design: no liveness pings unless asked for.
  const heartbeat = checkOptions({ ...options, heartbeat: options.heartbeat ?? 0 });
  const idle = options.idleTimeout ?? DEFAULT_IDLE_TIMEOUT;
  if (!(idle >= 0)) throw new RangeError(`portwire: idleTimeout must be a number >= 0, got ${idle}`);
  return {
    size: whole('size', options.size ?? Math.max(1, (cores || 2) - 1)),
    concurrency: whole('concurrency', options.concurrency ?? 1),
    eager: options.eager === true,
    // An idle worker is terminated after the event loop turns at the soonest, so calls made back to back reuse it.
    idleTimeout: idle === Infinity || options.eager ? 0 : Math.min(Math.max(idle, 1), MAX_TIMER),
    holdStreams: options.holdStreams !== false,
    idempotent: new Set(options.idempotent ?? []),
    timeout: timeoutOf(options.timeout, DEFAULT_TIMEOUT),
    heartbeat,
  };
}

import type { GroupOptions } from './types.js';

/** The presence heartbeat when none is given: a silent member is dropped within 3–4 s. */
export const DEFAULT_HEARTBEAT = 1000;

/**
 * Checks a group's options when the group is made, not when its first member joins (which is when
 * its first Peer would): a timeout, window or heartbeat that makes no sense is a `RangeError` here.
 * Returns the heartbeat to use.
 */
export function checkOptions(options: GroupOptions): number {
  const { timeout, window, heartbeat = DEFAULT_HEARTBEAT } = options;
  if (timeout !== undefined && timeout !== Infinity && !(timeout >= 0 && timeout <= 2_147_483_647)) {
    throw new RangeError(`portwire: timeout must be a number >= 0, got ${timeout}`);
  }
  if (window !== undefined && !(Number.isInteger(window) && window >= 1)) {
    throw new RangeError(`portwire: window must be an integer >= 1, got ${window}`);
  }
  if (!(heartbeat >= 0 && heartbeat <= 2_147_483_647)) {
    throw new RangeError(`portwire: heartbeat must be a number >= 0, got ${heartbeat}`);
  }
  return heartbeat;
}

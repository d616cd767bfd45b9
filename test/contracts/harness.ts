import type { Peer, PeerOptions } from '../../src/index';
import type { FixtureApi, NearApi } from './fixtureApi';

/** One live connection to a far side exposing `createFixtureApi()`, on some transport. */
export interface Harness {
  /** The near peer: `peer.remote` is typed by the fixture API; it answers `NearApi`. */
  peer: Peer<FixtureApi>;
  /** Posts raw data on the near endpoint, as a hostile or foreign sender would. */
  postRaw(data: unknown): void;
  /** Makes the far side go away the way this transport loses a peer (terminate, close…). */
  kill(): Promise<void> | void;
  /** Releases everything (idempotent). */
  dispose(): Promise<void> | void;
}

/** Creates a harness; `options` go to the near peer (its handlers default to `nearHandlers`). */
export type HarnessFactory = (options?: PeerOptions) => Promise<Harness>;

export const nearHandlers: NearApi = { ping: (value) => `near:${value}` };

/** Minimal assertions that run the same in Node and in a browser page. */
export function assertEqual(actual: unknown, expected: unknown, label = 'value'): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${label}: expected ${e}, got ${a}`);
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Awaits `promise` expecting a rejection whose `name` is `name`; returns the error. */
export async function rejects(promise: Promise<unknown>, name: string): Promise<any> {
  try {
    await promise;
  } catch (error) {
    assert(error instanceof Error, `expected an Error, got ${String(error)}`);
    assertEqual(error.name, name, 'error name');
    return error;
  }
  throw new Error(`expected a rejection with ${name}, but it resolved`);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it is true or `ms` pass. */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 3000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

import type { Removal } from '../groups/Group.js';
import type { Transport } from '../transports/Transport.js';
import type { PoolLeaveReason } from './types.js';

/** One running worker of a pool: its endpoint, how to remove it from the group, its idle clock. */
export class Slot {
  /** Ends its link (set once the group has admitted it). */
  remove: Removal = () => {};
  /** It has said something: its script runs. */
  ready = false;
  /** Why it left, once it has. */
  left: PoolLeaveReason | undefined;
  #busy = false;
  /** When it last got a call, or last ran out of calls. */
  #since = Date.now();
  #clock: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly id: string,
    readonly transport: Transport,
  ) {}

  /** A call went to it. */
  work(): void {
    this.#busy = true;
    this.#since = Date.now();
  }

  /**
   * With nothing in flight (`load()` is 0), starts its idle clock: `expire` runs once it has had
   * nothing for `wait` ms in a row. A call meanwhile restarts the count.
   */
  rest(load: () => number, wait: number, expire: () => void): void {
    if (!wait || this.left || load() > 0) return;
    if (this.#busy) {
      this.#busy = false;
      this.#since = Date.now();
    }
    if (this.#clock !== undefined) return;
    this.#clock = setTimeout(() => {
      this.#clock = undefined;
      if (this.left || load() > 0) return; // busy again: the clock starts when it runs out of calls
      if (this.#busy || this.#since + wait > Date.now()) return this.rest(load, wait, expire);
      expire();
    }, Math.max(0, this.#since + wait - Date.now()));
    // In Node an idle clock must not keep the process alive: the worker does that while it runs.
    (this.#clock as { unref?: () => void }).unref?.();
  }

  /** Stops its clock and ends the thread itself: a browser worker outlives an uncaught error, and an idle or silent one must go. */
  end(): void {
    clearTimeout(this.#clock);
    this.#clock = undefined;
    try {
      this.transport.terminate?.();
    } catch {
      // Already gone.
    }
  }
}

import { PeerClosedError } from '../errors/PeerClosedError.js';
import { PortwireError } from '../errors/PortwireError.js';

/** The part of the Web Locks API (`navigator.locks`) an election uses. */
interface Locks {
  request(name: string, options: { signal?: AbortSignal; steal?: boolean }, callback: () => Promise<void> | void): Promise<unknown>;
}

/** One lock request: queued (it can be withdrawn) or granted (it can be released, or stolen). */
interface Request {
  controller: AbortController | undefined;
  release: (() => void) | undefined;
}

/** `navigator.locks`, or a clear error that explains what is missing. */
export function findLocks(): Locks | PortwireError {
  const locks = (globalThis as { navigator?: { locks?: Locks } }).navigator?.locks;
  if (locks && typeof locks.request === 'function') return locks;
  return new PortwireError(
    'NO_LOCKS',
    'portwire: leader election needs Web Locks (navigator.locks), which this environment lacks; the group works, its leader APIs do not',
  );
}

/**
 * Leader election with one Web Lock: the member holding it leads, the others wait in the lock's
 * queue, and the browser releases it when the holder closes or its tab dies, so the next in line
 * leads. A frozen tab keeps holding it; `wait(true)` steals it, and the old holder learns it lost
 * when its granted request rejects.
 */
export class Election {
  #locks: Locks;
  #name: string;
  #changed: (held: boolean) => void;
  #queued: Request | undefined;
  #granted: Request | undefined;
  #active = false;
  #waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];

  constructor(locks: Locks, name: string, changed: (held: boolean) => void) {
    this.#locks = locks;
    this.#name = name;
    this.#changed = changed;
  }

  /** True while this member holds the lock. */
  get held(): boolean {
    return this.#granted !== undefined;
  }

  /** Joins the lock's queue. */
  start(): void {
    if (this.#active) return;
    this.#active = true;
    this.#request(false);
  }

  /** Leaves the queue, or releases the lock; `final` also rejects whoever waits for it. */
  stop(final: boolean): void {
    this.#active = false;
    this.#queued?.controller?.abort();
    this.#queued = undefined;
    const granted = this.#granted;
    this.#granted = undefined;
    granted?.release?.();
    if (granted) this.#changed(false);
    if (final) for (const waiter of this.#waiters.splice(0)) waiter.reject(new PeerClosedError('the group was closed'));
  }

  /** Resolves once this member leads; `steal` takes the lock from its holder now. */
  wait(steal: boolean): Promise<void> {
    if (this.#granted) return Promise.resolve();
    const promise = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    if (steal && this.#active) {
      this.#queued?.controller?.abort();
      this.#queued = undefined;
      this.#request(true);
    }
    return promise;
  }

  #request(steal: boolean): void {
    // A steal cannot carry a signal (the API refuses the pair); it is granted at once anyway.
    const request: Request = { controller: steal ? undefined : new AbortController(), release: undefined };
    if (!steal) this.#queued = request;
    const options = request.controller ? { signal: request.controller.signal } : { steal: true };
    this.#locks
      .request(this.#name, options, () => {
        if (this.#queued === request) this.#queued = undefined;
        // Granted after the member stopped, or after a steal made it lead already: give it back.
        if (!this.#active || this.#granted) return;
        this.#granted = request;
        return new Promise<void>((resolve) => {
          request.release = resolve;
          this.#changed(true);
          for (const waiter of this.#waiters.splice(0)) waiter.resolve();
        });
      })
      .then(undefined, () => {
        // Withdrawn by us (nothing to do), or stolen by another member while held.
        if (this.#granted !== request) return;
        this.#granted = undefined;
        this.#changed(false);
        if (this.#active && !this.#queued) this.#request(false);
      });
  }
}

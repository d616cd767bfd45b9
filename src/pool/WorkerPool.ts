import type { CallOptions } from '../core/options.js';
import { createRemote, type Caller } from '../core/proxy.js';
import { reporter } from '../core/report.js';
import type { Remote } from '../core/types.js';
import { AbortError } from '../errors/AbortError.js';
import { PeerClosedError } from '../errors/PeerClosedError.js';
import { PortwireError } from '../errors/PortwireError.js';
import { TimeoutError } from '../errors/TimeoutError.js';
import { Group } from '../groups/Group.js';
import { newId } from '../groups/records.js';
import type { GroupOptions, Settled } from '../groups/types.js';
import { RemoteIterator } from '../streams/RemoteIterator.js';
import type { Transport } from '../transports/Transport.js';
import { HeldStream } from './HeldStream.js';
import { timeoutOf, type Settings } from './options.js';
import { Queue, repeatable, Task } from './Queue.js';
import { Slot } from './Slot.js';
import type { PoolLeaveReason, PoolStats } from './types.js';

/**
 * A pool of workers on the group layer: each worker is a member of one `Group` (its own Peer,
 * `join`/`leave`, `notify`, `callAll`), and `remote` sends each call to a free worker, queueing
 * the rest in order. A worker's load is its Peer's own count of calls in flight and open streams,
 * so calls made through `peer(id)` and `callAll` count too.
 */
export class WorkerPool<Api = any> {
  readonly remote: Remote<Api>;
  #group: Group<Api>;
  #settings: Settings;
  #start: (id: string) => Transport;
  #slots: Slot[] = [];
  #queue = new Queue((task, error) => task.reject(error));
  #remotes = new Map<string, Remote<Api>>();
  #turn = 0;
  #closed = false;
  #onError: (error: unknown) => void;

  constructor(start: (id: string) => Transport, settings: Settings, options: GroupOptions) {
    this.#start = start;
    this.#settings = settings;
    this.#onError = reporter(options.onError);
    this.#group = new Group<Api>(newId(), 'the pool', options, new PortwireError('NO_LEADER', 'portwire: a pool has no leader'));
    this.remote = createRemote<Api>({
      call: (method, args, options) => this.#call(method, args, options),
      notify: (method, args) => this.#notifyOne(method, args),
      close: () => this.close(),
      terminate: () => this.close(),
    });
    if (settings.eager) this.#fill();
  }

  get id(): string {
    return this.#group.id;
  }

  get peers(): string[] {
    return this.#group.peers;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get size(): number {
    return this.#settings.size;
  }

  get stats(): PoolStats {
    return { queued: this.#queue.size, workers: this.#slots.map((slot) => ({ id: slot.id, inFlight: this.#load(slot), ready: slot.ready })) };
  }

  on(event: string, listener: (...args: any[]) => void): () => void {
    return this.#group.on(event, listener);
  }

  /** To every worker: the missing ones (up to `size`) start first. */
  notify(method: string, ...args: unknown[]): void {
    if (!this.#closed) this.#fill();
    this.#group.notify(method, ...args);
  }

  callAll(method: string, args: unknown[], options?: CallOptions): Promise<Settled<unknown>[]> {
    try {
      if (!this.#closed) this.#fill();
    } catch (error) {
      return Promise.reject(error);
    }
    const done = () => this.#settle();
    return this.#group.callAll(method, args, options).finally(done);
  }

  peer(id: string): Remote<Api> {
    let remote = this.#remotes.get(id);
    if (remote) return remote;
    remote = createRemote<Api>(this.#pinned(id));
    if (this.#slots.some((slot) => slot.id === id)) this.#remotes.set(id, remote);
    return remote;
  }

  /** Terminates every worker; queued calls and those in flight reject with `PeerClosedError`. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const task of this.#queue.clear()) task.reject(new PeerClosedError('the pool was closed'));
    this.#group.close();
    for (const slot of this.#slots.splice(0)) slot.end();
    this.#remotes.clear();
  }

  /** @internal Runs `stop` when the pool closes. */
  onClose(stop: () => void): void {
    this.#group.onClose(stop);
  }

  // ── dispatch ─────────────────────────────────────────────────────────────────────────────

  #call(method: string, args: unknown[], options: CallOptions | undefined): Promise<unknown> {
    if (this.#closed) return Promise.reject(new PeerClosedError('the pool was closed'));
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(new AbortError(method, signal.reason));
    let timeout: number;
    try {
      timeout = timeoutOf(options?.timeout, this.#settings.timeout);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      const own = options?.timeout !== undefined;
      const task = new Task(method, args, options, timeout, own, timeout ? Date.now() + timeout : 0, resolve, reject);
      task.retryable = this.#settings.idempotent.has(method) && repeatable(args, options);
      // Calls keep their order: none overtakes one already waiting.
      if (this.#queue.size > 0 || !this.#place(task)) this.#queue.push(task);
    });
  }

  /** Sends `task` to a free worker (starting one if the pool may); false when every worker is full. */
  #place(task: Task): boolean {
    let slot = this.#pick();
    if (slot === 'new') {
      try {
        slot = this.#spawn();
      } catch (error) {
        task.reject(error); // the factory threw: this call fails, the next may try again
        return true;
      }
    }
    if (!slot) return false;
    this.#send(slot, task);
    return true;
  }

  /** The worker for the next call: an idle one, else a new one, else the least busy with room (ties in turn). */
  #pick(): Slot | 'new' | undefined {
    const slots = this.#slots;
    const count = slots.length;
    let best = -1;
    let least = Infinity;
    for (let k = 0; k < count && least > 0; k++) {
      const at = (this.#turn + k) % count;
      const load = this.#load(slots[at]!);
      if (load < least) [best, least] = [at, load];
    }
    if (least > 0 && count < this.#settings.size) return 'new';
    if (best < 0 || least >= this.#settings.concurrency) return undefined;
    this.#turn = (best + 1) % count;
    return slots[best];
  }

  /** Calls in flight on `slot`'s Peer, whoever made them, and (by default) its open streams. */
  #load(slot: Slot): number {
    const stats = this.#group.member(slot.id)?.stats;
    if (!stats) return Infinity;
    return this.#settings.holdStreams ? stats.pending + stats.inboxes : stats.pending;
  }

  #send(slot: Slot, task: Task): void {
    let options = task.options;
    // A call that waited gets what is left of its timeout: it counts from when the call was made.
    if (task.waited && task.deadline) {
      const left = task.deadline - Date.now();
      if (left <= 0) return task.reject(new TimeoutError(task.method, task.timeout));
      options = { ...options, timeout: left };
    }
    slot.work();
    this.#group.member(slot.id)!.call(task.method, task.args, options).then(
      (value) => task.resolve(this.#answered(value, task.options?.signal)),
      (error: unknown) => {
        if (error instanceof PeerClosedError && !this.#closed && slot.left && task.retryable) {
          // Its worker died before answering, and running it again is harmless: first in line.
          task.retryable = false;
          this.#queue.unshift(task);
          return this.#settle();
        }
        if (error instanceof TimeoutError && options !== task.options) error = new TimeoutError(task.method, task.timeout);
        task.reject(error);
        this.#settle();
      },
    );
  }

  /** A stream keeps its slot until it ends; anything else frees it now. */
  #answered(value: unknown, signal: AbortSignal | undefined): unknown {
    if (this.#settings.holdStreams && value instanceof RemoteIterator) value = new HeldStream(value, () => this.#settle(), signal);
    this.#settle();
    return value;
  }

  /** Something may have freed a slot: queued calls go out, idle workers start their clock. */
  #settle(): void {
    if (this.#closed) return;
    while (this.#queue.size > 0) {
      const slot = this.#pick();
      if (slot === undefined) break;
      const task = this.#queue.shift()!;
      if (slot === 'new') this.#place(task);
      else this.#send(slot, task);
    }
    for (const slot of this.#slots) this.#rest(slot);
  }

  #notifyOne(method: string, args: unknown[]): void {
    if (this.#closed) throw new PeerClosedError('the pool was closed');
    let slot = this.#pick();
    if (slot === 'new' || (!slot && !this.#slots.length)) slot = this.#spawn();
    // A notification takes no slot (there is nothing to wait for): with none free, the least busy.
    slot ??= this.#slots.reduce((a, b) => (this.#load(b) < this.#load(a) ? b : a));
    this.#group.member(slot.id)!.notify(method, args);
  }

  /** `peer(id)`: that worker's own calls, counted in its load like any other. */
  #pinned(id: string): Caller {
    const link = () => this.#group.member(id) ?? new PeerClosedError(`${id} is not a worker of the pool`);
    const slotOf = () => this.#slots.find((slot) => slot.id === id);
    return {
      call: (method, args, options) => {
        const peer = link();
        if (peer instanceof Error) return Promise.reject(peer);
        slotOf()!.work();
        return peer.call(method, args, options).then(
          (value) => this.#answered(value, options?.signal),
          (error: unknown) => {
            this.#settle();
            throw error;
          },
        );
      },
      notify: (method, args) => {
        const peer = link();
        if (peer instanceof Error) throw peer;
        peer.notify(method, args);
      },
      close: () => this.#retire(id, 'closed', `the worker ${id} was closed`),
      terminate: () => this.#retire(id, 'closed', `the worker ${id} was terminated`),
    };
  }

  // ── workers ──────────────────────────────────────────────────────────────────────────────

  #fill(): void {
    while (this.#slots.length < this.#settings.size) this.#spawn();
  }

  #spawn(): Slot {
    const id = newId();
    const transport = this.#start(id);
    const slot = new Slot(id, transport);
    const watched: Transport = {
      ...transport,
      label: `the pool's worker ${id}`,
      listen: (handler) =>
        transport.listen((data) => {
          slot.ready = true;
          handler(data);
          // An answer, a failure or the end of a stream may have freed its slot.
          if (this.#queue.size > 0) this.#settle();
          else this.#rest(slot);
        }),
    };
    this.#slots.push(slot);
    slot.remove = this.#group.admit(id, watched, {
      heartbeat: this.#settings.heartbeat,
      closed: 'exited',
      onLeave: (reason) => this.#left(slot, reason as PoolLeaveReason),
    });
    return slot;
  }

  #left(slot: Slot, reason: PoolLeaveReason): void {
    slot.left = reason;
    const at = this.#slots.indexOf(slot);
    if (at >= 0) this.#slots.splice(at, 1);
    this.#remotes.delete(slot.id);
    slot.end();
    if (this.#closed) return;
    // After the 'leave' event and after its calls' rejections (a retry goes back in line first).
    // One that never said anything is not replaced at once: its script may not load at all, and
    // a pool would start such workers forever. Calls that need a worker start one.
    queueMicrotask(() => {
      if (this.#closed) return;
      try {
        if (reason !== 'idle' && slot.ready && this.#slots.length < this.#settings.size) this.#spawn();
      } catch (error) {
        this.#onError(error); // the factory threw: calls that need a worker try again
      }
      this.#settle();
    });
  }

  /** Ends `id` through its link: its calls reject with `PeerClosedError(message)`, `leave` fires. */
  #retire(id: string, reason: PoolLeaveReason, message: string): void {
    this.#slots.find((slot) => slot.id === id)?.remove(reason, message);
  }

  /** A worker with nothing in flight starts its idle clock; past `idleTimeout` it is terminated. */
  #rest(slot: Slot): void {
    const wait = this.#settings.idleTimeout;
    if (wait) slot.rest(() => this.#load(slot), wait, () => this.#retire(slot.id, 'idle', `the worker ${slot.id} was idle for ${wait} ms`));
  }
}

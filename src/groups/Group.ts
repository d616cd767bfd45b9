import type { CallOptions, Middleware } from '../core/options.js';
import { Peer } from '../core/Peer.js';
import { createRemote, type Caller } from '../core/proxy.js';
import { reporter } from '../core/report.js';
import { takeTransfer } from '../core/transfer.js';
import type { Remote } from '../core/types.js';
import { PeerClosedError } from '../errors/PeerClosedError.js';
import { PortwireError } from '../errors/PortwireError.js';
import type { Transport } from '../transports/Transport.js';
import type { Election } from './Election.js';
import { versionMismatch } from './records.js';
import type { GroupOptions, LeaveReason, Settled } from './types.js';

/** Why a member left: a `LeaveReason`, or the reasons of a source of its own (a pool's). */
type Reason = LeaveReason | (string & {});

/** How a member is let in. */
export interface Admission {
  /** The heartbeat of its Peer (a SharedWorker's tab); 0 when presence watches it instead. */
  heartbeat: number;
  /** What its link closing on its own (not through `remove`) is reported as. */
  closed: Reason;
  /** Told once the member has left, whatever the cause. */
  onLeave?: (reason: Reason) => void;
}

/** Ends a member's link: its pending calls reject with `PeerClosedError(message)`, then `leave` fires. */
export type Removal = (reason: Reason, message: string) => void;

const isAsyncIterable = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';

/**
 * The group layer both `broadcast()` and `exposeShared()` use: one ordinary Peer per member, on
 * whatever transport its membership source made for it, and the group-wide calls over them.
 * The source (presence over a BroadcastChannel, or a SharedWorker's ports) admits and removes.
 */
export class Group<Api = any> {
  #id: string;
  #label: string;
  #options: GroupOptions;
  #members = new Map<string, Peer<Api>>();
  #remotes = new Map<string, Remote<Api>>();
  #strangers = new Map<string, string>();
  #listeners = new Map<string, Set<(...args: any[]) => void>>();
  #election: Election | PortwireError;
  #leader: string | undefined;
  #closed = false;
  #stop: Array<() => void> = [];
  #report: (error: unknown) => void;

  constructor(id: string, label: string, options: GroupOptions, election: Election | PortwireError) {
    this.#id = id;
    this.#label = label;
    this.#options = options;
    this.#report = reporter(options.onError);
    this.#election = election;
  }

  get id(): string {
    return this.#id;
  }

  get peers(): string[] {
    return [...this.#members.keys()];
  }

  get closed(): boolean {
    return this.#closed;
  }

  get isLeader(): boolean {
    return this.#elect().held;
  }

  get leader(): string | undefined {
    this.#elect();
    return this.#leader;
  }

  whenLeader(options?: { steal?: boolean }): Promise<void> {
    if (this.#election instanceof PortwireError) return Promise.reject(this.#election);
    if (this.#closed) return Promise.reject(new PeerClosedError(`${this.#label} was closed`));
    return this.#election.wait(options?.steal === true);
  }

  on(event: string, listener: (...args: any[]) => void): () => void {
    if (event === 'leader') this.#elect();
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => void set.delete(listener);
  }

  notify(method: string, ...args: unknown[]): void {
    if (this.#closed) throw new PeerClosedError(`${this.#label} was closed`);
    this.#refuseFanOut('notify', args, undefined);
    for (const peer of this.#members.values()) if (!peer.closed) peer.notify(method, args);
  }

  callAll(method: string, args: unknown[], options?: CallOptions): Promise<Settled<unknown>[]> {
    if (this.#closed) return Promise.reject(new PeerClosedError(`${this.#label} was closed`));
    try {
      this.#refuseFanOut('callAll', args, options?.transfer);
    } catch (error) {
      return Promise.reject(error);
    }
    const ids = this.peers;
    const calls = ids.map((id) => this.#members.get(id)!.call(method, args, options));
    return Promise.allSettled(calls).then((settled) => settled.map((result, i) => ({ id: ids[i]!, ...result })));
  }

  peer(id: string): Remote<Api> {
    let remote = this.#remotes.get(id);
    if (!remote) {
      remote = createRemote<Api>(this.#caller(id));
      if (this.#members.has(id)) this.#remotes.set(id, remote);
    }
    return remote;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const stop of this.#stop.splice(0)) stop();
    for (const peer of this.#members.values()) peer.close();
    this.#members.clear();
    this.#remotes.clear();
    this.#strangers.clear();
    this.#listeners.clear();
    this.#leader = undefined;
  }

  // ── what membership sources call ─────────────────────────────────────────────────────────

  /** @internal Runs `stop` when the group closes (before its links close). */
  onClose(stop: () => void): void {
    this.#stop.push(stop);
  }

  /** @internal The link to member `id` while it is one: for sources that dispatch calls themselves (a pool). */
  member(id: string): Peer<Api> | undefined {
    return this.#members.get(id);
  }

  /** @internal This member's id changed (it joined again). */
  rename(id: string): void {
    this.#id = id;
  }

  /** @internal Lets a member in over `transport`; returns how to remove it. */
  admit(id: string, transport: Transport, admission: Admission): Removal {
    let reason: Reason | undefined;
    let heard = 0;
    let fire: ((message: string) => void) | undefined;
    const links = this.#members;
    const watched: Transport = {
      ...transport,
      // After removal nothing more leaves for it (not even the goodbye of a link already gone).
      send: (message, list, undeliverable) => reason === undefined && transport.send(message, list, undeliverable),
      listen: (handler) => {
        const stop = transport.listen((data) => {
          heard = Date.now();
          handler(data);
        });
        // A Peer stops listening when it shuts down, whatever the cause: that is when it left.
        return () => {
          stop();
          if (links.get(id) !== peer) return;
          const silent = admission.heartbeat > 0 && Date.now() - heard >= 2 * admission.heartbeat;
          this.#gone(id, reason ?? (silent ? 'silent' : admission.closed), admission);
        };
      },
      onClose: (handler) => {
        fire = handler;
        const unwatch = transport.onClose?.(handler);
        return () => {
          fire = undefined;
          unwatch?.();
        };
      },
    };
    const caller: Middleware = (ctx, next) => {
      ctx.caller = id;
      return next();
    };
    const { handlers, timeout, window, onError, middleware = [] } = this.#options;
    const peer = new Peer<Api>(watched, {
      ...(handlers && { handlers }),
      ...(timeout !== undefined && { timeout }),
      ...(window !== undefined && { window }),
      ...(onError && { onError }),
      heartbeat: admission.heartbeat,
      middleware: [caller, ...middleware],
    });
    this.#strangers.delete(id);
    links.set(id, peer);
    this.#emit('join', id);
    return (why, message) => {
      if (reason !== undefined || links.get(id) !== peer) return;
      reason = why;
      fire?.(message);
    };
  }

  /** @internal A member of another protocol version is present (`version`), or gone (undefined). */
  stranger(id: string, version: string | undefined): void {
    if (version === undefined) this.#strangers.delete(id);
    else if (!this.#members.has(id)) this.#strangers.set(id, version);
    if (version === undefined && this.#leader === id) this.#leader = undefined;
  }

  /** @internal Members announced a new leader (or the old one left: undefined). */
  leaderIs(id: string | undefined): void {
    if (this.#leader === id || this.#closed) return;
    this.#leader = id;
    if (id !== undefined) this.#emit('leader', id);
  }

  // ── inside ───────────────────────────────────────────────────────────────────────────────

  #elect(): Election {
    if (this.#election instanceof PortwireError) throw this.#election;
    return this.#election;
  }

  #gone(id: string, reason: Reason, admission: Admission): void {
    this.#members.delete(id);
    this.#remotes.delete(id);
    if (this.#leader === id) this.#leader = undefined;
    admission.onLeave?.(reason);
    if (!this.#closed) this.#emit('leave', id, reason);
  }

  // One transfer list cannot move to several receivers, and an upload cannot be read by several.
  #refuseFanOut(what: string, args: unknown[], transfer: Transferable[] | undefined): void {
    let marked = !!transfer?.length;
    for (const arg of args) marked = !!takeTransfer(arg) || marked;
    if (marked) {
      throw new PortwireError(
        'NO_TRANSFER',
        `portwire: ${what}() copies its arguments to every member of ${this.#label} and cannot transfer; send copies, or one member's own call with peer(id)`,
      );
    }
    if (what === 'callAll' && args.some(isAsyncIterable)) {
      throw new TypeError(`portwire: callAll() cannot upload one stream to every member; call each with peer(id)`);
    }
  }

  /** A proxy that finds its member at each call, so it follows the member's coming and going. */
  #caller(id: string): Caller {
    const target = (): Peer<Api> | Error => {
      const peer = this.#members.get(id);
      if (peer) return peer;
      const version = this.#strangers.get(id);
      if (version !== undefined) return versionMismatch(id, this.#label, version);
      return new PeerClosedError(`${id} is not a member of ${this.#label}`);
    };
    return {
      call: (method, args, options) => {
        const peer = target();
        return peer instanceof Error ? Promise.reject(peer) : peer.call(method, args, options);
      },
      notify: (method, args) => {
        const peer = target();
        if (peer instanceof Error) throw peer;
        peer.notify(method, args);
      },
      close: () => {
        const peer = target();
        if (!(peer instanceof Error)) peer.close();
      },
      terminate: () => {
        throw new PortwireError('NOT_TERMINABLE', `portwire: a member of ${this.#label} cannot be terminated from here; use $close()`);
      },
    };
  }

  #emit(event: string, ...args: unknown[]): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(...args);
      } catch (error) {
        this.#report(error);
      }
    }
  }
}

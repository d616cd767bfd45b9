import type { CallOptions, Middleware } from '../core/options.js';
import type { MethodName, Remote, RemoteMethod } from '../core/types.js';

type Fn = (...args: any[]) => any;

/** The handler at a dotted method path of `T` (`'math.mul'`). */
type HandlerAt<T, K extends string> = K extends `${infer Head}.${infer Rest}`
  ? Head extends keyof T
    ? HandlerAt<T[Head], Rest>
    : never
  : K extends keyof T
    ? T[K]
    : never;

/** The remote method a member's proxy has at `K`. */
type MethodOf<Api, K extends string> = RemoteMethod<Extract<HandlerAt<Api, K>, Fn> extends never ? Fn : Extract<HandlerAt<Api, K>, Fn>>;

/** The arguments of method `K` of `Api`, as a caller fills them. */
export type GroupArgs<Api, K extends string> = Parameters<MethodOf<Api, K>>;

/** What method `K` of `Api` resolves with on the caller's side. */
export type GroupResult<Api, K extends string> = Awaited<ReturnType<MethodOf<Api, K>>>;

/** One member's answer to `callAll`: its id and how its call settled. */
export type Settled<T> = { id: string } & PromiseSettledResult<T>;

/**
 * Why a member left this member's view:
 * - `left`: it said goodbye (`close()`, its page closed, navigated or entered the back/forward cache);
 * - `silent`: it stopped answering and was dropped (crashed, killed, frozen);
 * - `closed`: the link between the two was closed with `peer(id).$close()` on either side;
 * - `rejoined`: this member itself left every member: to join again under a new id (the others had
 *   dropped it as silent), or because its page was hidden (closed, navigated, or put in the
 *   back/forward cache, whence it comes back under a new id).
 */
export type LeaveReason = 'left' | 'silent' | 'closed' | 'rejoined';

/**
 * What `onIgnored` reports: `foreign` (not a portwire group record), `malformed` (a group
 * record of a shape this version does not know), `version` (a member running another portwire
 * protocol version), `forged` (a record that claims this member's own id, an id this member
 * has never seen, or an id already in the group).
 */
export type GroupIgnoredReason = 'foreign' | 'malformed' | 'version' | 'forged';

/** The events of every group; `Reason` is why members leave it (a pool has its own reasons). */
export interface MemberEvents<Reason extends string = LeaveReason> {
  /** A member joined (or this member met it on joining). */
  join: (id: string) => void;
  /** A member left this member's view; its pending calls have rejected with `PeerClosedError`. */
  leave: (id: string, reason: Reason) => void;
}

/** The events of a BroadcastChannel group. */
export interface BroadcastEvents extends MemberEvents {
  /** Another member (or this one) is now the leader. */
  leader: (id: string) => void;
}

/** Many one-to-one peers that come and go, addressed as one. */
export interface Group<Api = any, Events extends MemberEvents<any> = MemberEvents> {
  /** This member's id: fresh per page load (and per `broadcast()` or `exposeShared()` call). */
  readonly id: string;
  /** The ids of the other live members, as a fresh array on each read. */
  readonly peers: string[];
  /** True once `close()` was called. */
  readonly closed: boolean;
  /**
   * Listens to `join`, `leave` (with its reason) or `leader`; returns the function that stops it.
   * @example const off = group.on('leave', (id, reason) => console.log(id, reason));
   */
  on<E extends keyof Events>(event: E, listener: Events[E]): () => void;
  /**
   * Fire-and-forget to every other member (never to this one). Arguments are copied to each;
   * a transfer throws here (`NO_TRANSFER`): it could move to one member only.
   * @example group.notify('refresh', key)
   */
  notify<K extends MethodName<Api>>(method: K, ...args: GroupArgs<Api, K>): void;
  /**
   * Calls `method` on every member present now; one entry per member, in `peers` order. A member
   * that leaves mid-call settles rejected with `PeerClosedError` at once.
   * @example
   * for (const answer of await group.callAll('version', [], { timeout: 2000 })) {
   *   if (answer.status === 'fulfilled') console.log(answer.id, answer.value);
   * }
   */
  callAll<K extends MethodName<Api>>(method: K, args: GroupArgs<Api, K>, options?: CallOptions): Promise<Array<Settled<GroupResult<Api, K>>>>;
  /**
   * The typed proxy of one member: calls, `$notify`, streams both ways, abort, timeouts. Calls to
   * an id that is not a member reject with `PeerClosedError`; `$close()` closes the link with
   * that member (both leave each other's view with reason `closed`).
   * @example await group.peer(id).save(doc)
   */
  peer(id: string): Remote<Api>;
  /** Leaves the group at once: the others see `leave`, pending calls reject with `PeerClosedError`. */
  close(): void;
}

/** A group over a BroadcastChannel: every context of the origin that joins the same name. */
export interface BroadcastGroup<Api = any> extends Group<Api, BroadcastEvents> {
  /**
   * True while this member holds the group's Web Lock. Throws `NO_LOCKS` where there is no
   * `navigator.locks` (Node).
   */
  readonly isLeader: boolean;
  /** The current leader's id as members announce it; `undefined` during a hand-over. Throws `NO_LOCKS` without Web Locks. */
  readonly leader: string | undefined;
  /**
   * Resolves once this member is the leader. `{ steal: true }` takes the lock from its holder at
   * once: a way out when the leader's tab is frozen and holds the lock for good. The old leader
   * learns it lost when its lock request rejects (when its tab runs again); work it does as leader
   * should check `isLeader` between steps. Rejects with `NO_LOCKS` without Web Locks, and with
   * `PeerClosedError` when the group closes first.
   * @example
   * await tabs.whenLeader();
   * openTheOneWebSocket();
   */
  whenLeader(options?: {
    /**
     * Takes the lock from its holder now instead of waiting in its queue.
     * @default false
     * @example await tabs.whenLeader({ steal: true })
     */
    steal?: boolean;
  }): Promise<void>;
}

/** The group a SharedWorker's `exposeShared` returns: one member per connected tab. */
export type SharedGroup<Api = any> = Group<Api, MemberEvents>;

export interface GroupOptions<H extends object = object> {
  /**
   * The methods this member answers, for every other member (see `context().caller`).
   * @default undefined (this member only calls)
   * @example broadcast<TabApi>('my-app', { handlers: { refresh: (key: string) => reload(key) } })
   */
  handlers?: H;
  /**
   * Milliseconds a call to a member waits for its answer before rejecting with `TimeoutError`;
   * `0` (or `Infinity`) waits forever.
   * @default 30000
   * @example broadcast('my-app', { timeout: 2000 })
   */
  timeout?: number;
  /**
   * Milliseconds between presence heartbeats. A member that stops answering is dropped (`leave`
   * with `silent`) 3 to 4 heartbeats after it was last heard, and never before it failed to
   * answer a direct ping, which is answered from the message handler (so a background tab whose
   * timers run once a minute is not dropped). `0` turns it off: members then leave only by their
   * goodbye. In a SharedWorker, the heartbeat of each tab's connection.
   * @default 1000
   * @example broadcast('my-app', { heartbeat: 250 })
   */
  heartbeat?: number;
  /**
   * Functions wrapped around every incoming call and notification, first one outermost;
   * `ctx.caller` is already set to the calling member's id.
   * @default []
   * @example broadcast('my-app', { handlers, middleware: [(ctx, next) => (allowed(ctx.caller) ? next() : null)] })
   */
  middleware?: Middleware[];
  /**
   * Receives what can be answered to nobody: notification handlers' errors, and errors thrown by
   * this group's event listeners. What it throws is rethrown in a microtask, as an uncaught
   * error: the other listeners and the rest of the batch still run.
   * @default console.error
   * @example broadcast('my-app', { onError: (error) => report(error) })
   */
  onError?: (error: unknown) => void;
  /**
   * Credit window of the streams this member reads from others.
   * @default 256
   * @example broadcast('my-app', { window: 64 })
   */
  window?: number;
}

export interface BroadcastOptions<H extends object = object> extends GroupOptions<H> {
  /**
   * Sees what the group ignored on its channel: foreign traffic, malformed records, members of
   * another protocol version, forged member ids (see `GroupIgnoredReason`). Nothing ignored ever runs a
   * handler or throws.
   * @default undefined (ignored silently)
   * @example broadcast('my-app', { onIgnored: (reason, data) => console.debug('ignored', reason, data) })
   */
  onIgnored?: (reason: GroupIgnoredReason, data: unknown) => void;
}

/** Options of `exposeShared`: the handlers are its first argument. */
export type SharedOptions = Omit<GroupOptions, 'handlers'>;

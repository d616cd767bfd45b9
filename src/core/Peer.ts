import { AbortError } from '../errors/AbortError.js';
import { DataCloneError } from '../errors/DataCloneError.js';
import { MethodNotFoundError } from '../errors/MethodNotFoundError.js';
import { PeerClosedError } from '../errors/PeerClosedError.js';
import { PortwireError } from '../errors/PortwireError.js';
import { deserializeError, protocolError, serializeError } from '../errors/wire.js';
import { Inbox, type InboxLink } from '../streams/Inbox.js';
import { Outbox, type OutboxLink } from '../streams/Outbox.js';
import { RemoteIterator } from '../streams/RemoteIterator.js';
import { toTransport } from '../transports/messageEndpoint.js';
import type { Endpoint, Transport } from '../transports/Transport.js';
import { CallContext, swapContext } from './context.js';
import { resolveMethod, type Resolved } from './handlers.js';
import type { CallOptions, Middleware, PeerOptions } from './options.js';
import { isMessage, isWire } from './guards.js';
import * as P from './protocol.js';
import { Outgoing } from './Outgoing.js';
import { awaiting, Pending, PendingCalls } from './PendingCalls.js';
import { keep } from './keep.js';
import { createRemote } from './proxy.js';
import { reporter } from './report.js';
import { takeTransfer } from './transfer.js';
import type { Remote } from './types.js';

const DEFAULT_TIMEOUT = 30_000;
const DEFAULT_WINDOW = 256;

/** An error whose own properties throw when read still answers the caller. */
function safeSerialize(error: unknown) {
  try {
    return serializeError(error);
  } catch {
    return serializeError(new Error('portwire: the thrown error could not be read'));
  }
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';

/** A window or timeout option: `fallback` when absent; a clear error when it makes no sense. */
function option(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  // Timers take at most 2^31 − 1 ms; past that they fire at once. Infinity means "wait forever".
  if (name === 'timeout' && value === Infinity) return 0;
  if (!(value >= min) || (name === 'window' ? !Number.isInteger(value) : value > 2_147_483_647)) {
    throw new RangeError(`portwire: ${name} must be ${name === 'window' ? 'an integer' : 'a number'} >= ${min}, got ${value}`);
  }
  return value;
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';

// One of each object a stream makes, for its shape (keep.ts).
const shapes = new RemoteIterator(new Inbox(0, '', 1, {} as InboxLink));
keep(shapes, new Outbox(0, shapes, {} as OutboxLink));

/** One side of a connection: calls out through `remote`, answers with its handlers. */
export class Peer<R = any> {
  /** The typed proxy of the other side's handlers. */
  readonly remote: Remote<R>;
  #transport: Transport;
  #channel: string | 0;
  #out: Outgoing;
  #handlers: object | undefined;
  #timeout: number;
  #window: number;
  #middleware: Middleware[];
  #onError: (error: unknown) => void;
  #stop: Array<() => void> = [];
  #closed = false;
  /** Why it closed: later calls say the same. */
  #reason: string | undefined;
  /** With a heartbeat: when the other side was last heard (0: not yet). */
  #beating = false;
  #heard = 0;
  #nextId = 1;
  #nextStream = 1;
  #pending = new PendingCalls(
    (id, reason) => this.#giveUp(id, reason),
    () => (this.#out.ready ? undefined : `no handshake arrived from ${this.#transport.label ?? 'the other side'} (is portwire listening there?)`),
  );
  #incoming = new Map<number, CallContext>();
  #outboxes = new Map<number, Outbox>();
  /** Upload stream id → the id of the call it is an argument of, while that call is pending. */
  #uploads = new Map<number, number>();
  #inboxes = new Map<number, Inbox>();
  #methods = new Map<string, Resolved>();

  constructor(endpoint: Endpoint, options: PeerOptions = {}) {
    this.#transport = toTransport(endpoint);
    this.#channel = options.channel || 0;
    this.#out = new Outgoing(this.#transport, this.#channel, this.#undeliverable);
    this.#handlers = options.handlers;
    this.#timeout = option('timeout', options.timeout, DEFAULT_TIMEOUT, 0);
    this.#window = option('window', options.window, DEFAULT_WINDOW, 1);
    this.#middleware = options.middleware ?? [];
    this.#onError = reporter(options.onError);
    this.remote = createRemote<R>(this);
    this.#stop.push(this.#transport.listen(this.#receive));
    // The goodbye is still sent: the other side may be alive (a port closed here), and posting to
    // a closed endpoint does nothing.
    const unwatch = this.#transport.onClose?.((reason) => this.#shutdown(reason, true));
    if (unwatch) this.#stop.push(unwatch);
    if (typeof document === 'object' && typeof addEventListener === 'function') {
      // A page going away closes its peers, so the other side learns of it at once. A page kept
      // in the back/forward cache may come back: its peers stay open.
      const onPageHide = (event: PageTransitionEvent) => event.persisted || this.close();
      addEventListener('pagehide', onPageHide);
      this.#stop.push(() => removeEventListener('pagehide', onPageHide));
    }
    const beat = options.heartbeat ?? 0;
    if (beat > 0) this.#startHeartbeat(beat);
    this.#out.post([P.HELLO]);
  }

  /** True once either side closed the peer or its endpoint went away. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Calls `method` on the other side. Prefer the typed `remote` proxy. */
  call(method: string, args: unknown[], options?: CallOptions): Promise<unknown> {
    // Whatever fails before the call is queued is its rejection.
    try {
      if (this.#closed) throw new PeerClosedError(this.#reason);
      const signal = options?.signal;
      if (signal?.aborted) throw new AbortError(method, signal.reason);
      const pending = new Pending(method, option('timeout', options?.timeout, this.#timeout, 0), option('window', options?.window, this.#window, 1));
      const promise = awaiting(pending);
      const id = this.#nextId++;
      this.#pending.add(id, pending, options?.timeout !== undefined, signal);
      try {
        this.#send(method, args, options?.transfer, pending, id);
      } catch (error) {
        // An argument that throws while being read (its async iterator, say): nothing was sent.
        this.#drop(id);
        throw error;
      }
      return promise;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Sends a notification: no id, no answer; failures go to the other side's `onError`. */
  notify(method: string, args: unknown[]): void {
    if (this.#closed) throw new PeerClosedError(this.#reason);
    this.#send(method, args, undefined);
  }

  /** Closes this side: the other side is told, every pending call and stream rejects with `PeerClosedError`. */
  close(): void {
    this.#shutdown('the peer was closed', true);
  }

  /**
   * Terminates the worker on the other side and closes this peer: pending calls and streams reject
   * with `PeerClosedError` at once, with no heartbeat or timeout to wait for.
   */
  terminate(): void {
    if (!this.#transport.terminate) throw new PortwireError('NOT_TERMINABLE', 'portwire: terminate() needs a Worker endpoint; use close()');
    this.#shutdown('the worker was terminated', false);
    this.#transport.terminate();
  }

  // ── sending ──────────────────────────────────────────────────────────────────────────────

  /**
   * Queues a call (with its `pending`) or a notification: arguments that are uploads are replaced
   * by null and streamed, what they mark for transfer joins `extra`.
   */
  #send(method: string, args: unknown[], extra: Transferable[] | undefined, pending?: Pending, id = 0): void {
    let sent = args;
    let streams: number[] | undefined;
    let transfer = extra;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (typeof arg !== 'object' || arg === null) continue;
      const marked = takeTransfer(arg);
      if (marked) transfer = transfer ? transfer.concat(marked) : marked;
      // A value marked for transfer (a ReadableStream, say) travels as itself, never as an upload.
      else if (pending && isAsyncIterable(arg) && !extra?.includes(arg as Transferable)) {
        const outbox = this.#produce(arg);
        this.#uploads.set(outbox.id, id);
        (pending.outboxes ??= []).push(outbox);
        if (sent === args) sent = args.slice();
        sent[i] = null;
        (streams ??= []).push(i, outbox.id);
      }
    }
    if (transfer?.length) this.#transport.checkTransfer?.(transfer);
    if (!pending) return void this.#out.push(P.NOTIFY, method, sent, 0, 0, transfer);
    pending.at = this.#out.push(P.CALL, id, method, sent, streams ?? 0, transfer);
    pending.flush = this.#out.flushes;
  }

  /** Turns a message that cannot be cloned into the error its sender or receiver should see. */
  #undeliverable = (message: P.Message, error: unknown): void => {
    switch (message[0]) {
      case P.CALL:
        this.#giveUp(message[1], (method) => new DataCloneError(method, 'argument', error));
        break;
      case P.NOTIFY:
        this.#onError(new DataCloneError(message[1], 'notification', error));
        break;
      case P.RESULT:
        this.#out.post([P.FAIL, message[1], protocolError('DATA_CLONE', error, 'result')]);
        break;
      case P.FAIL:
        this.#out.post([P.FAIL, message[1], protocolError('DATA_CLONE', error, 'error')]);
        break;
      case P.ITEMS:
      case P.ERROR: {
        const where = message[0] === P.ITEMS ? 'item' : 'error';
        const outbox = this.#outboxes.get(message[1]);
        this.#out.post([P.ERROR, message[1], protocolError('DATA_CLONE', error, where)]);
        outbox?.cancel();
        // An upload that cannot be sent fails the call it belongs to, here, where it happened.
        const call = this.#uploads.get(message[1]);
        if (call) this.#giveUp(call, (method) => new DataCloneError(method, where, error));
        break;
      }
    }
  };

  // ── receiving ────────────────────────────────────────────────────────────────────────────

  #receive = (data: unknown): void => {
    if (!isWire(data, this.#channel) || this.#closed) return;
    if (this.#beating) this.#heard = Date.now();
    // Records follow one another; an unknown kind or a truncated record ends the batch, since
    // nothing after it can be found again.
    for (let i = 2; i < data.length; ) {
      const kind = data[i];
      const size = typeof kind === 'number' ? (P.ARITY as readonly number[])[kind] : undefined;
      if (size === undefined || i + size > data.length) return;
      const at = i;
      i += size;
      if (!isMessage(data, at)) continue;
      try {
        this.#dispatch(data, at);
      } catch (error) {
        this.#onError(error);
      }
      if (this.#closed) return;
    }
  };

  // `at` is where the record starts in `d`, the wire array (isMessage checked its fields); `a`
  // and `b` are its first two fields, when it has them.
  #dispatch(d: any[], at: number): void {
    const kind = d[at];
    const a = d[at + 1];
    const b = d[at + 2];
    switch (kind) {
      case P.HELLO:
        this.#out.post([P.READY]);
        this.#out.open();
        return;
      case P.READY:
        return this.#out.open();
      case P.CALL:
        return this.#onCall(a, b, d[at + 3], d[at + 4] || undefined);
      case P.NOTIFY:
        return this.#onNotify(a, b);
      case P.RESULT:
        this.#take(a)?.resolve(b);
        return;
      case P.FAIL: {
        const pending = this.#take(a);
        pending?.reject(deserializeError(b, pending.method));
        return;
      }
      case P.STREAM: {
        if (this.#inboxes.has(b)) return;
        const pending = this.#take(a);
        if (!pending) return void this.#out.push(P.CANCEL, b);
        const inbox = new Inbox(b, pending.method, pending.window, this.#inboxLink, pending.signal);
        this.#inboxes.set(b, inbox);
        pending.resolve(new RemoteIterator(inbox));
        return;
      }
      case P.ABORT: {
        const ctx = this.#incoming.get(a);
        if (!ctx) return;
        this.#incoming.delete(a);
        ctx.abort(new AbortError(ctx.method));
        return;
      }
      case P.CLOSE:
        return this.#shutdown('the other side closed the peer', false);
      case P.ITEMS:
        this.#inboxes.get(a)?.deliver(b);
        return;
      case P.END:
      case P.ERROR: {
        const inbox = this.#inboxes.get(a);
        if (!inbox) return;
        this.#inboxes.delete(a);
        if (kind === P.END) inbox.end();
        else inbox.fail(deserializeError(b, inbox.method));
        return;
      }
      case P.PULL:
        this.#outboxes.get(a)?.grant(b);
        return;
      case P.CANCEL:
        this.#outboxes.get(a)?.cancel();
        return;
      case P.PING:
        this.#out.post([P.PONG]);
        return;
    }
  }


  #onCall(id: number, method: string, args: unknown[], streams: number[] | undefined): void {
    if (this.#incoming.has(id) || !this.#fresh(streams)) return;
    const ctx = new CallContext(method, args, this.remote);
    if (streams) ctx.inboxes = this.#attach(args, streams, method);
    let result: unknown;
    try {
      result = this.#invoke(ctx);
    } catch (error) {
      return this.#fail(id, ctx, error);
    }
    if (!isThenable(result)) return this.#reply(id, ctx, result);
    // Only a call that answers later can be aborted meanwhile, so only such a call is tracked.
    this.#incoming.set(id, ctx);
    result.then(
      (value) => this.#incoming.delete(id) && this.#reply(id, ctx, value),
      (error) => this.#incoming.delete(id) && this.#fail(id, ctx, error),
    );
  }

  #onNotify(method: string, args: unknown[]): void {
    const ctx = new CallContext(method, args, this.remote);
    try {
      const result = this.#invoke(ctx);
      if (isThenable(result)) result.then(undefined, this.#onError);
    } catch (error) {
      this.#onError(error);
    }
  }

  /** Runs the middleware chain, then the handler, with `ctx` as the current context. */
  #invoke(ctx: CallContext): unknown {
    const middleware = this.#middleware;
    if (middleware.length === 0) return this.#run(ctx);
    // Each position has its own `next`, so a middleware that calls it twice (a retry) runs the
    // rest of the chain twice rather than skipping it.
    const dispatch = (index: number): unknown =>
      index < middleware.length ? this.#run(ctx, middleware[index], () => dispatch(index + 1)) : this.#run(ctx);
    return dispatch(0);
  }

  #run(ctx: CallContext, middleware?: Middleware | undefined, next?: () => unknown): unknown {
    const previous = swapContext(ctx);
    try {
      if (middleware) return middleware(ctx, next!);
      const target = this.#resolve(ctx.method);
      if (!target) throw new MethodNotFoundError(ctx.method);
      return target.fn.apply(target.self, ctx.args);
    } finally {
      swapContext(previous);
    }
  }

  // A top-level method found once is remembered while the handlers still hold that function.
  #resolve(method: string): Resolved | undefined {
    const known = this.#methods.get(method);
    if (known && (known.self as Record<string, unknown>)[method] === known.fn) return known;
    const target = resolveMethod(this.#handlers, method);
    if (target && target.self === this.#handlers) this.#methods.set(method, target);
    return target;
  }

  #reply(id: number, ctx: CallContext, value: unknown): void {
    const transfer = takeTransfer(value);
    if (!transfer && isAsyncIterable(value)) {
      const outbox = this.#produce(value, ctx);
      return void this.#out.push(P.STREAM, id, outbox.id);
    }
    this.#endArguments(ctx);
    this.#out.push(P.RESULT, id, value, 0, 0, transfer);
  }

  #fail(id: number, ctx: CallContext, error: unknown): void {
    this.#endArguments(ctx);
    const own = error instanceof MethodNotFoundError && error.method === ctx.method;
    this.#out.push(P.FAIL, id, own ? protocolError('METHOD_NOT_FOUND', error) : safeSerialize(error));
  }

  #endArguments(ctx: CallContext): void {
    if (ctx.inboxes) for (const inbox of ctx.inboxes) void inbox.return();
  }

  // ── pending calls ────────────────────────────────────────────────────────────────────────

  /** Removes a pending call and everything that watches it. */
  #take(id: number): Pending | undefined {
    const pending = this.#pending.take(id);
    if (pending?.outboxes) for (const outbox of pending.outboxes) this.#uploads.delete(outbox.id);
    return pending;
  }

  /** Removes a pending call that will get no answer, and stops its uploads. */
  #drop(id: number): Pending | undefined {
    const pending = this.#take(id);
    if (pending?.outboxes) for (const outbox of pending.outboxes) outbox.cancel();
    return pending;
  }

  /** Ends a call on this side only (abort, timeout, unsendable): tells the handler, stops its uploads. */
  #giveUp(id: number, reason: (method: string) => Error): void {
    const pending = this.#drop(id);
    if (!pending) return;
    // Not sent yet: withdrawn, so its handler never runs and nothing it was to transfer is moved.
    if (!pending.at || !this.#out.retract(pending.at, pending.flush)) this.#out.push(P.ABORT, id);
    pending.reject(reason(pending.method));
  }

  // ── streams ──────────────────────────────────────────────────────────────────────────────

  #produce(iterable: AsyncIterable<unknown>, ctx?: CallContext): Outbox {
    const outbox = new Outbox(this.#nextStream++, iterable, this.#outboxLink, ctx);
    this.#outboxes.set(outbox.id, outbox);
    return outbox;
  }

  /** False when a message names a stream this side already reads: a forgery, dropped whole. */
  #fresh(streams: number[] | undefined): boolean {
    if (streams) for (let i = 1; i < streams.length; i += 2) if (this.#inboxes.has(streams[i]!)) return false;
    return true;
  }

  /** Replaces streamed arguments with iterators over what the caller uploads. */
  #attach(args: unknown[], streams: number[], method: string): Inbox[] {
    const inboxes: Inbox[] = [];
    for (let i = 0; i < streams.length; i += 2) {
      const inbox = new Inbox(streams[i + 1]!, method, this.#window, this.#inboxLink);
      this.#inboxes.set(inbox.id, inbox);
      inboxes.push(inbox);
      args[streams[i]!] = new RemoteIterator(inbox);
    }
    return inboxes;
  }

  #outboxLink: OutboxLink = {
    item: (id, value) => this.#out.item(id, value, takeTransfer(value)),
    end: (id) => this.#out.push(P.END, id),
    fail: (id, error) => this.#out.push(P.ERROR, id, safeSerialize(error)),
    pumping: (delta) => this.#out.pumping(delta),
    finished: (outbox) => {
      this.#outboxes.delete(outbox.id);
    },
  };

  #inboxLink: InboxLink = {
    pull: (id, count) => this.#out.push(P.PULL, id, count),
    cancel: (id) => {
      if (this.#inboxes.delete(id)) this.#out.push(P.CANCEL, id);
    },
  };

  // ── liveness and close ───────────────────────────────────────────────────────────────────

  // Silence is judged only once the other side has been heard: a worker still loading is not dead.
  #startHeartbeat(interval: number): void {
    this.#beating = true;
    const timer = setInterval(() => {
      if (this.#heard && Date.now() - this.#heard > 3 * interval) this.#shutdown('the other side stopped answering', true);
      else this.#out.post([P.PING]);
    }, interval);
    this.#stop.push(() => clearInterval(timer));
  }

  #shutdown(reason: string, tell: boolean): void {
    if (this.#closed) return;
    this.#out.close(tell);
    if (tell) this.#out.post([P.CLOSE]);
    this.#closed = true;
    this.#reason = reason;
    const error = new PeerClosedError(reason);
    for (const id of this.#pending.ids()) this.#drop(id)!.reject(error);
    for (const ctx of this.#incoming.values()) ctx.abort(error);
    this.#incoming.clear();
    const inboxes = [...this.#inboxes.values()];
    this.#inboxes.clear();
    for (const inbox of inboxes) inbox.abort(error);
    for (const outbox of [...this.#outboxes.values()]) outbox.cancel(error);
    this.#pending.close();
    for (const stop of this.#stop.splice(0)) stop();
  }

  /** @internal Counters for leak tests: what this peer still holds. */
  get stats(): { pending: number; incoming: number; inboxes: number; outboxes: number; uploads: number; queued: number } {
    return {
      pending: this.#pending.size,
      incoming: this.#incoming.size,
      inboxes: this.#inboxes.size,
      outboxes: this.#outboxes.size,
      uploads: this.#uploads.size,
      queued: this.#out.size,
    };
  }
}

import { microtask } from '../core/microtask.js';
import { broadcastLink, type BroadcastLink } from '../transports/broadcastLink.js';
import type { Group, Removal } from './Group.js';
import { GROUP, VERSION, newId, readRecord, type GroupRecord, type Kind } from './records.js';
import type { GroupIgnoredReason, LeaveReason } from './types.js';

/** A member as presence sees it; `link` is absent for a member of another protocol version. */
interface Entry {
  link: BroadcastLink | undefined;
  remove: Removal | undefined;
  /** When anything was last heard from it. */
  heard: number;
  /** When it was pinged for being silent (0: not since it was last heard). */
  pinged: number;
}

/** How many dropped or closed ids are remembered, so their later records are answered or ignored. */
const REMEMBERED = 256;

/** Whether `ids` holds `id`, read by index (a forged array's own `includes` is never called). */
const has = (ids: string[], id: string): boolean => {
  for (let i = 0; i < ids.length; i++) if (ids[i] === id) return true;
  return false;
};

const remember = (ids: Map<string, number>, id: string, now: number) => {
  ids.delete(id);
  ids.set(id, now);
  if (ids.size > REMEMBERED) ids.delete(ids.keys().next().value!);
};

/**
 * The group's presence protocol on one BroadcastChannel, next to the links it carries: `hello`
 * on joining (answered by `here`), `beat` every heartbeat, `bye` on leaving, and `msg` records
 * that carry each pair's link. What the links send in one turn leaves as one `msgs` record, so a
 * notify-all is one post whose arguments are cloned once, and each member decodes one record
 * instead of one per member. A member silent for two heartbeats is pinged directly, and dropped
 * (then told `gone`) only if it does not answer within one more; pings are answered from the
 * message handler and the checks also run from it, so a tab whose timers are throttled or
 * stalled stays in as long as it handles messages.
 */
export class Presence {
  #name: string;
  #group: Group;
  #heartbeat: number;
  #ignored: ((reason: GroupIgnoredReason, data: unknown) => void) | undefined;
  #leads: () => boolean;
  #channel: BroadcastChannel | undefined;
  #id = '';
  #members = new Map<string, Entry>();
  /** Ids dropped as silent (→ when they were last told `gone`), and ids whose link was closed. */
  #dropped = new Map<string, number>();
  #closed = new Map<string, number>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #posted = 0;
  #checked = 0;
  /** What the links sent this turn, for one `msgs` record: to whom, what, and who hears a failure. */
  #queued: { to: string[]; data: unknown[]; failed: Array<(data: unknown) => void> } | undefined;
  /** A flush is scheduled: what is queued before it runs leaves with it. */
  #scheduled = false;

  constructor(
    name: string,
    group: Group,
    heartbeat: number,
    ignored: ((reason: GroupIgnoredReason, data: unknown) => void) | undefined,
    leads: () => boolean,
  ) {
    this.#name = name;
    this.#group = group;
    this.#heartbeat = heartbeat;
    this.#ignored = ignored;
    this.#leads = leads;
  }

  /** Joins under a fresh id, on a channel of its own. */
  join(): void {
    if (this.#channel) return;
    this.#id = newId();
    this.#group.rename(this.#id);
    this.#channel = new BroadcastChannel(this.#name);
    this.#channel.addEventListener('message', this.#onMessage);
    this.#checked = Date.now();
    this.#post('hello', undefined, this.#leads());
    if (this.#leads()) this.#group.leaderIs(this.#id);
    if (this.#heartbeat > 0) this.#timer = setInterval(this.#tick, this.#heartbeat);
  }

  /** Leaves at once: `bye` to the others, every link ends (`leave` fires with `reason` here). */
  leave(reason: LeaveReason, message: string): void {
    const channel = this.#channel;
    if (!channel) return;
    this.#post('bye');
    clearInterval(this.#timer);
    channel.removeEventListener('message', this.#onMessage);
    channel.close();
    this.#channel = undefined;
    for (const id of [...this.#members.keys()]) this.#forget(id, reason, message);
    this.#dropped.clear();
    this.#closed.clear();
  }

  /** Tells every member that this one now holds the leader lock. */
  announceLead(): void {
    this.#post('lead');
  }

  #onMessage = (event: MessageEvent): void => {
    const now = Date.now();
    const data: unknown = event.data;
    const record = readRecord(data);
    if (typeof record === 'string') this.#ignored?.(record, data);
    else if (record.from === this.#id) this.#ignored?.('forged', data);
    else if (record.v !== VERSION) this.#stranger(record, data, now);
    else this.#receive(record, data, now);
    // Checked here too, not only by the timer: a background tab's timers may run once a minute.
    if (this.#heartbeat > 0 && this.#channel && now - this.#checked >= this.#heartbeat) this.#tick();
  };

  #receive(record: GroupRecord, data: unknown, now: number): void {
    const { from, kind } = record;
    const entry = this.#members.get(from);
    if (entry && !entry.link) return this.#ignored?.('forged', data);
    // Traffic between two other members still says its sender is alive.
    const to = record.to;
    if (to !== undefined && (kind === 'msgs' ? !has(to as string[], this.#id) : to !== this.#id)) {
      if (entry) this.#heard(entry, now);
      return;
    }
    if (kind === 'gone') return entry || this.#dropped.has(from) ? this.#rejoin() : this.#ignored?.('forged', data);
    if (this.#dropped.has(from)) return this.#tellGone(from, now);
    if (this.#closed.has(from)) return;
    if (kind === 'hello' && entry) return this.#ignored?.('forged', data);
    if (kind === 'hello' || (kind === 'here' && !entry)) {
      if (kind === 'hello') this.#post('here', from, this.#leads());
      this.#admit(from, now);
      if (record.lead) this.#group.leaderIs(from);
      return;
    }
    // A beat or lead claim may precede the `here` that introduces a member: not a forgery.
    if (!entry) return void (record.to !== undefined && this.#ignored?.('forged', data));
    this.#heard(entry, now);
    switch (kind) {
      case 'ping':
        return this.#post('pong', from);
      case 'lead':
        return this.#group.leaderIs(from);
      case 'here':
        if (record.lead) this.#group.leaderIs(from);
        return;
      case 'bye':
        return this.#forget(from, 'left', `member ${from} left the group "${this.#name}"`);
      case 'msg':
        return entry.link!.deliver(record.data);
      case 'msgs':
        for (let i = 0; i < to!.length; i++) if (to![i] === this.#id) entry.link!.deliver((record.data as unknown[])[i]);
    }
  }

  /** A member of another protocol version: known by its stable records, never linked. */
  #stranger(record: GroupRecord, data: unknown, now: number): void {
    this.#ignored?.('version', data);
    const { from, kind } = record;
    if (record.to !== undefined && record.to !== this.#id) return;
    let entry = this.#members.get(from);
    if (entry?.link) return;
    if (!entry) {
      if (kind === 'bye') return;
      entry = { link: undefined, remove: undefined, heard: now, pinged: 0 };
      this.#members.set(from, entry);
      this.#group.stranger(from, record.v);
    }
    this.#heard(entry, now);
    if (kind === 'hello') this.#post('here', from, this.#leads());
    else if (kind === 'ping') this.#post('pong', from);
    else if (kind === 'bye') this.#forget(from, 'left', '');
    if (kind === 'lead' || ((kind === 'hello' || kind === 'here') && record.lead === true)) this.#group.leaderIs(from);
  }

  #admit(id: string, now: number): void {
    const link = broadcastLink(
      (data, undeliverable) => (undeliverable ? this.#queue(id, data, undeliverable) : this.#post('msg', id, undefined, data)),
      `member ${id} of the group "${this.#name}"`,
    );
    const entry: Entry = { link, remove: undefined, heard: now, pinged: 0 };
    this.#members.set(id, entry);
    entry.remove = this.#group.admit(id, link, {
      heartbeat: 0,
      closed: 'closed',
      onLeave: (reason) => {
        if (this.#members.get(id) !== entry) return;
        // Its link was closed ($close on either side): the two stay out of each other's view.
        this.#members.delete(id);
        if (reason === 'closed') remember(this.#closed, id, now);
      },
    });
  }

  #heard(entry: Entry, now: number): void {
    entry.heard = now;
    entry.pinged = 0;
  }

  #forget(id: string, reason: LeaveReason, message: string): void {
    const entry = this.#members.get(id);
    if (!entry) return;
    this.#members.delete(id);
    if (entry.remove) entry.remove(reason, message);
    else this.#group.stranger(id, undefined);
  }

  #tick = (): void => {
    const now = Date.now();
    const beat = this.#heartbeat;
    this.#checked = now;
    for (const [id, entry] of [...this.#members]) {
      if (now - entry.heard < 2 * beat) continue;
      if (!entry.pinged) {
        entry.pinged = now;
        this.#post('ping', id);
      } else if (now - entry.pinged >= beat) {
        this.#forget(id, 'silent', `member ${id} of the group "${this.#name}" stopped answering`);
        this.#tellGone(id, now);
      }
    }
    if (this.#channel && now - this.#posted >= beat / 2) this.#post('beat');
  };

  /** Tells a member this one dropped that it is out, at most once a heartbeat: it joins again. */
  #tellGone(id: string, now: number): void {
    const told = this.#dropped.get(id);
    if (told !== undefined && now - told < this.#heartbeat) return;
    remember(this.#dropped, id, now);
    this.#post('gone', id);
  }

  /** The others dropped this member (it was frozen, say): it joins again as a new member. */
  #rejoin(): void {
    this.leave('rejoined', `this member joined the group "${this.#name}" again under a new id`);
    this.join();
  }

  /** Queues a link's message for this turn's `msgs` record. */
  #queue(to: string, data: unknown, undeliverable: (data: unknown) => void): void {
    if (!this.#channel) return;
    const queued = (this.#queued ??= { to: [], data: [], failed: [] });
    if (!this.#scheduled) {
      this.#scheduled = true;
      microtask(this.#flushLater);
    }
    queued.to.push(to);
    queued.data.push(data);
    queued.failed.push(undeliverable);
  }

  #flushLater = (): void => {
    this.#scheduled = false;
    this.#flush();
  };

  #flush(): void {
    const queued = this.#queued;
    const channel = this.#channel;
    this.#queued = undefined;
    if (!queued || !channel) return;
    const { to, data, failed } = queued;
    // Nothing more leaves for a member removed since its message was queued (kept in place).
    let kept = 0;
    for (let i = 0; i < to.length; i++) {
      if (!this.#members.get(to[i]!)?.link) continue;
      to[kept] = to[i]!;
      data[kept] = data[i];
      failed[kept++] = failed[i]!;
    }
    to.length = data.length = failed.length = kept;
    if (to.length > 1) {
      try {
        return this.#post('msgs', to, undefined, data);
      } catch {
        // One of them cannot be cloned: each goes alone below, so only the guilty one fails.
      }
    }
    for (let i = 0; i < to.length; i++) {
      try {
        this.#post('msg', to[i], undefined, data[i]);
      } catch {
        // Told in a microtask of its own: whatever its report does (an onError that throws or
        // closes the peer) cannot stop the rest of this record or reorder what is queued next.
        const tell = failed[i]!;
        const message = data[i];
        microtask(() => tell(message));
      }
    }
  }

  #post(kind: Kind, to?: string | string[], lead?: boolean, data?: unknown): void {
    // What the links queued this turn leaves first: every record stays in the order it was sent.
    if (this.#queued) this.#flush();
    const channel = this.#channel;
    if (!channel) return;
    const record: GroupRecord = { pw: GROUP, v: VERSION, from: this.#id, kind };
    if (to !== undefined) record.to = to;
    if (lead) record.lead = true;
    if (kind === 'msg' || kind === 'msgs') record.data = data;
    // A link's message that cannot be cloned throws here, to its Peer, which reports it.
    channel.postMessage(record);
    this.#posted = Date.now();
  }
}

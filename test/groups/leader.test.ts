import { afterEach, describe, expect, it } from 'vitest';
import { freshName, join, members, until } from './support';

// Leader election. Node's BroadcastChannel has no navigator.locks: there the group works and
// the leader APIs fail clearly. The election logic itself is then run against a small in-memory
// stand-in for the Web Locks API (queue, signal, steal), installed as navigator.locks; the real
// one is exercised in Chromium (e2e/groups.spec.ts).

describe('without Web Locks (Node)', () => {
  it('the group works; isLeader, leader, whenLeader and on("leader") fail with NO_LOCKS', async () => {
    expect((globalThis as { navigator?: unknown }).navigator).toBeUndefined();
    const [a, b] = await members(2, { handlers: { add: (x: number, y: number) => x + y } });
    expect(await a!.peer(b!.id).add(1, 2)).toBe(3);
    const noLocks = expect.objectContaining({ name: 'PortwireError', code: 'NO_LOCKS', message: expect.stringContaining('navigator.locks') });
    expect(() => a!.isLeader).toThrow(noLocks);
    expect(() => a!.leader).toThrow(noLocks);
    expect(() => a!.on('leader', () => {})).toThrow(noLocks);
    await expect(a!.whenLeader()).rejects.toEqual(noLocks);
    await expect(a!.whenLeader({ steal: true })).rejects.toEqual(noLocks);
  });
});

type Grant = { callback: () => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void };

/** Enough of the Web Locks API for an election: exclusive locks, a FIFO queue, `signal` and `steal`. */
class FakeLocks {
  #held = new Map<string, Grant>();
  #queues = new Map<string, Grant[]>();
  request(name: string, options: { signal?: AbortSignal; steal?: boolean }, callback: () => unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const grant: Grant = { callback, resolve, reject };
      if (options.steal) {
        const holder = this.#held.get(name);
        this.#held.delete(name);
        holder?.reject(new DOMException('The lock was stolen', 'AbortError'));
        return this.#grant(name, grant);
      }
      const queue = this.#queues.get(name) ?? [];
      this.#queues.set(name, queue);
      options.signal?.addEventListener('abort', () => {
        const at = queue.indexOf(grant);
        if (at < 0) return;
        queue.splice(at, 1);
        reject(new DOMException('Aborted', 'AbortError'));
      });
      queue.push(grant);
      this.#pump(name);
    });
  }
  #grant(name: string, grant: Grant): void {
    this.#held.set(name, grant);
    Promise.resolve()
      .then(grant.callback)
      .then((value) => {
        if (this.#held.get(name) !== grant) return;
        this.#held.delete(name);
        grant.resolve(value);
        this.#pump(name);
      });
  }
  #pump(name: string): void {
    const next = this.#held.has(name) ? undefined : this.#queues.get(name)?.shift();
    if (next) this.#grant(name, next);
  }
}

describe('election (against an in-memory Web Locks)', () => {
  afterEach(() => {
    delete (globalThis as { navigator?: unknown }).navigator;
  });
  const install = () => Object.defineProperty(globalThis, 'navigator', { value: { locks: new FakeLocks() }, configurable: true });

  it('exactly one leader; every member knows its id; when it closes another leads and all agree', async () => {
    install();
    const name = freshName('leader');
    const groups = [join(name), join(name), join(name)];
    const seen = new Map<string, string[]>();
    for (const g of groups) g.on('leader', (id) => seen.set(g.id, [...(seen.get(g.id) ?? []), id]));
    await until(() => groups.every((g) => g.peers.length === 2 && g.leader !== undefined));
    expect(groups.filter((g) => g.isLeader)).toHaveLength(1);
    const first = groups.find((g) => g.isLeader)!;
    expect(groups.map((g) => g.leader)).toEqual([first.id, first.id, first.id]);
    await first.whenLeader();
    const rest = groups.filter((g) => g !== first);
    first.close();
    await until(() => rest.some((g) => g.isLeader) && rest.every((g) => g.leader !== undefined && g.leader !== first.id));
    const second = rest.find((g) => g.isLeader)!;
    expect(rest.filter((g) => g.isLeader)).toEqual([second]);
    expect(rest.map((g) => g.leader)).toEqual([second.id, second.id]);
    for (const g of rest) expect(seen.get(g.id)?.at(-1)).toBe(second.id);
    await second.whenLeader();
  });

  it('whenLeader resolves when this member becomes leader, and rejects with PeerClosedError if it closes first', async () => {
    install();
    const name = freshName('leader');
    const a = join(name);
    await a.whenLeader();
    const b = join(name);
    const c = join(name);
    const waitingB = b.whenLeader();
    const waitingC = c.whenLeader();
    c.close();
    await expect(waitingC).rejects.toMatchObject({ name: 'PeerClosedError' });
    a.close();
    await waitingB;
    expect(b.isLeader).toBe(true);
    expect(b.leader).toBe(b.id);
  });

  it('whenLeader({ steal: true }) takes the lead from a holder that never lets go; the old one learns it lost', async () => {
    install();
    const name = freshName('leader');
    const stuck = join(name);
    await stuck.whenLeader();
    const taker = join(name);
    const other = join(name);
    await until(() => [stuck, taker, other].every((g) => g.peers.length === 2));
    await taker.whenLeader({ steal: true });
    expect(taker.isLeader).toBe(true);
    await until(() => !stuck.isLeader && [stuck, taker, other].every((g) => g.leader === taker.id), 3000, 'everyone to agree');
    // The old leader is back in the queue: it leads again once the taker leaves.
    taker.close();
    await until(() => stuck.isLeader || other.isLeader);
    expect([stuck, other].filter((g) => g.isLeader)).toHaveLength(1);
  });
});

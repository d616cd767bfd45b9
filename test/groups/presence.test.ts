import { describe, expect, it } from 'vitest';
import { freshName, join, members, until } from './support';

// Presence: who is in the group, on Node's real BroadcastChannel (every group object is a
// BroadcastChannel of its own, so several in one process are several members).

describe('presence', () => {
  it('members meet: each lists every other one, never itself, with a fresh array on each read', async () => {
    const [a, b, c] = await members(3);
    expect(new Set([a!.id, b!.id, c!.id]).size).toBe(3);
    expect(a!.peers.sort()).toEqual([b!.id, c!.id].sort());
    expect(b!.peers.sort()).toEqual([a!.id, c!.id].sort());
    expect(c!.peers).not.toContain(c!.id);
    expect(a!.peers).not.toBe(a!.peers);
    a!.peers.length = 0;
    expect(a!.peers).toHaveLength(2);
  });

  it('ids are fresh for every group object, also for two of the same name in one thread', () => {
    const name = freshName();
    const ids = new Set(Array.from({ length: 20 }, () => join(name).id));
    expect(ids.size).toBe(20);
    expect([...ids].every((id) => /^[0-9a-f]{16}$/.test(id))).toBe(true);
  });

  it("'join' fires on both sides when a member arrives, and the new member can be called at once", async () => {
    const name = freshName();
    const a = join(name, { handlers: { hi: () => 'from a' } });
    const seenByA: string[] = [];
    a.on('join', (id) => seenByA.push(id));
    const b = join(name);
    const seenByB: string[] = [];
    b.on('join', (id) => seenByB.push(id));
    await until(() => seenByA.length === 1 && seenByB.length === 1);
    expect(seenByA).toEqual([b.id]);
    expect(seenByB).toEqual([a.id]);
    expect(await b.peer(a.id).hi()).toBe('from a');
  });

  it("close() leaves at once: the others get 'leave' with 'left', and nothing more of it", async () => {
    const [a, b, c] = await members(3);
    const left: Array<[string, string]> = [];
    b!.on('leave', (id, reason) => left.push([id, reason]));
    c!.on('leave', (id, reason) => left.push([id, reason]));
    a!.close();
    expect(a!.closed).toBe(true);
    expect(a!.peers).toEqual([]);
    await until(() => left.length === 2);
    expect(left).toEqual([
      [a!.id, 'left'],
      [a!.id, 'left'],
    ]);
    expect(b!.peers).toEqual([c!.id]);
    expect(c!.peers).toEqual([b!.id]);
    a!.close(); // idempotent
  });

  it('close() rejects what is pending both ways with PeerClosedError, without waiting for a timeout', async () => {
    const hang = () => new Promise(() => {});
    const [a, b] = await members(2, { handlers: { hang } });
    const outgoing = a!.peer(b!.id).hang();
    const incoming = b!.peer(a!.id).hang();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = Date.now();
    a!.close();
    await expect(outgoing).rejects.toMatchObject({ name: 'PeerClosedError' });
    await expect(incoming).rejects.toMatchObject({ name: 'PeerClosedError' });
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(a!.callAll('hang', [])).rejects.toMatchObject({ name: 'PeerClosedError' });
    expect(() => a!.notify('hang')).toThrow(/closed/);
  });

  it('unsubscribing stops a listener; a listener that throws goes to onError and the group goes on', async () => {
    const name = freshName();
    const errors: unknown[] = [];
    const a = join(name, { onError: (error) => errors.push(error) });
    const joins: string[] = [];
    const off = a.on('join', (id) => joins.push(id));
    a.on('join', () => {
      throw new Error('listener failed');
    });
    const b = join(name);
    await until(() => joins.length === 1);
    off();
    const c = join(name);
    await until(() => a.peers.length === 2);
    expect(joins).toEqual([b.id]);
    expect(errors.map((e) => (e as Error).message)).toEqual(['listener failed', 'listener failed']);
    expect(a.peers).toContain(c.id);
  });

  it('options that make no sense are a RangeError when the group is made', () => {
    const name = freshName();
    expect(() => join(name, { timeout: -1 })).toThrow(RangeError);
    expect(() => join(name, { window: 1.5 })).toThrow(RangeError);
    expect(() => join(name, { heartbeat: Number.NaN })).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import { freshName, join, sleep, until } from './support';
import { startMember } from './workers';

// Liveness: members in worker threads on Node's real BroadcastChannel. A member that dies
// silently is dropped 3–4 heartbeats after it was last heard; one whose timers never run is not
// (it answers pings from its message handler); a frozen one is dropped, and joins again as a
// new member when it thaws.

const HEARTBEAT = 50;

describe('silent members', () => {
  it("a member whose thread is terminated is dropped ('silent') after 3–4 heartbeats; its pending calls reject", async () => {
    const name = freshName('silent');
    const a = join(name, { heartbeat: HEARTBEAT, timeout: 30_000 });
    const far = await startMember({ name, heartbeat: HEARTBEAT });
    try {
      await until(() => a.peers.includes(far.id), 5000, 'the worker member to join');
      expect(await a.peer(far.id).add(1, 2)).toBe(3);
      const pending = a.peer(far.id).hang();
      const left = new Promise<[string, string, number]>((resolve) => a.on('leave', (id, reason) => resolve([id, reason, Date.now()])));
      const killed = Date.now();
      await far.terminate();
      const [id, reason, at] = await left;
      expect([id, reason]).toEqual([far.id, 'silent']);
      await expect(pending).rejects.toMatchObject({ name: 'PeerClosedError', message: expect.stringContaining('stopped answering') });
      const ms = at - killed;
      console.log(`[groups] terminated member dropped after ${ms} ms (heartbeat ${HEARTBEAT} ms)`);
      expect(ms).toBeGreaterThanOrEqual(2 * HEARTBEAT);
      expect(ms).toBeLessThan(20 * HEARTBEAT);
      expect(a.peers).toEqual([]);
    } finally {
      await far.terminate();
    }
  });

  it('a member whose timers never run (a throttled background tab) is not dropped: it answers from its message handler', async () => {
    const name = freshName('stalled');
    const a = join(name, { heartbeat: HEARTBEAT });
    const b = join(name, { heartbeat: HEARTBEAT });
    const stalled = await startMember({ name, heartbeat: HEARTBEAT, stallTimers: true });
    try {
      await until(() => a.peers.includes(stalled.id) && b.peers.includes(stalled.id), 5000, 'the stalled member to join');
      const left: string[] = [];
      a.on('leave', (id) => left.push(id));
      b.on('leave', (id) => left.push(id));
      await sleep(20 * HEARTBEAT);
      expect(left).toEqual([]);
      expect(a.peers.sort()).toEqual([b.id, stalled.id].sort());
      expect(await a.peer(stalled.id).add(2, 2)).toBe(4);
      stalled.send({ cmd: 'report' });
      await until(() => stalled.last.peers.length === 2);
      expect(stalled.last.peers.sort(), 'and it still sees both').toEqual([a.id, b.id].sort());
    } finally {
      await stalled.terminate();
    }
  });

  it('a frozen member is dropped, told so, and joins again under a new id when it thaws', async () => {
    const name = freshName('frozen');
    const a = join(name, { heartbeat: HEARTBEAT });
    const frozen = await startMember({ name, heartbeat: HEARTBEAT });
    try {
      await until(() => a.peers.includes(frozen.id), 5000, 'the member to join');
      const events: string[] = [];
      a.on('leave', (id, reason) => events.push(`leave ${id === frozen.id ? 'old' : id} ${reason}`));
      a.on('join', (id) => events.push(`join ${id === frozen.id ? 'old' : 'new'}`));
      frozen.send({ cmd: 'freeze', ms: 12 * HEARTBEAT });
      await until(() => events.length === 2, 5000, 'the drop and the new join');
      expect(events).toEqual(['leave old silent', 'join new']);
      await until(() => frozen.last.id !== frozen.id && frozen.last.peers.includes(a.id), 5000, 'the new id to be reported');
      expect(a.peers).toEqual([frozen.last.id]);
      expect(await a.peer(frozen.last.id).add(3, 4)).toBe(7);
    } finally {
      await frozen.terminate();
    }
  });

  it('a member that closes in its thread leaves at once, before any heartbeat could drop it', async () => {
    const name = freshName('bye');
    const a = join(name, { heartbeat: 10_000 });
    const far = await startMember({ name, heartbeat: 10_000 });
    try {
      await until(() => a.peers.includes(far.id), 5000, 'the member to join');
      const left = new Promise<string>((resolve) => a.on('leave', (_, reason) => resolve(reason)));
      const started = Date.now();
      far.send({ cmd: 'close' });
      expect(await left).toBe('left');
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      await far.terminate();
    }
  });

  it('one that never beats but answers the direct ping stays; once it stops answering it is dropped', async () => {
    const name = freshName('pings');
    const a = join(name, { heartbeat: HEARTBEAT });
    // A member played on a raw channel: it says hello, then only ever answers pings.
    const raw = new BroadcastChannel(name);
    const id = 'abcdefabcdefabcd';
    let answer = true;
    let pings = 0;
    raw.addEventListener('message', (event: MessageEvent) => {
      const r = event.data;
      if (r?.kind !== 'ping' || r.to !== id) return;
      pings++;
      if (answer) raw.postMessage({ pw: 'portwire.group', v: r.v, from: id, kind: 'pong', to: r.from });
    });
    try {
      raw.postMessage({ pw: 'portwire.group', v: 'portwire:2/presence:2', from: id, kind: 'hello' });
      await until(() => a.peers.includes(id));
      await sleep(15 * HEARTBEAT);
      expect(pings).toBeGreaterThan(2);
      expect(a.peers).toEqual([id]);
      answer = false;
      const left = new Promise<string>((resolve) => a.on('leave', (_, reason) => resolve(reason)));
      expect(await left).toBe('silent');
    } finally {
      raw.close();
    }
  });
});

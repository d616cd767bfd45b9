import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GroupIgnoredReason } from '../../src/index';
import { freshName, join, sleep, until } from './support';

// Hostile and foreign traffic on the group's channel name: ignored, never a crash, never a
// handler run for a record not addressed to that member. (Any same-origin script can post on the
// channel and claim an id: `caller` identifies, it does not authenticate; see the README.)

const M = 'portwire.group';
const V = 'portwire:2/presence:2';

async function setup() {
  const name = freshName('hostile');
  const ran: string[] = [];
  const ignored: Record<string, number> = {};
  const onIgnored = (reason: GroupIgnoredReason) => void (ignored[reason] = (ignored[reason] ?? 0) + 1);
  const handlers = { add: (a: number, b: number) => (ran.push(`add ${a} ${b}`), a + b) };
  const a = join(name, { handlers, onIgnored });
  const b = join(name, { handlers, onIgnored });
  const c = join(name, { handlers, onIgnored });
  await until(() => [a, b, c].every((g) => g.peers.length === 2));
  const raw = new BroadcastChannel(name);
  return { name, a, b, c, ran, ignored, raw, post: (data: unknown) => raw.postMessage(data), done: () => raw.close() };
}

/** A core CALL of `add(1, 2)` as a link would carry it. */
const call = ['portwire:2', 0, 2, 1, 'add', [1, 2], 0];

describe('hostile input on the channel', () => {
  it('foreign traffic (other libraries, bare portwire wire) is ignored and reported as foreign', async () => {
    const h = await setup();
    try {
      for (const data of [null, 42, 'str', [], {}, call, { type: 'sync', payload: [1] }, { pw: 'other', v: V, from: 'x', kind: 'hello' }, new Uint8Array(4)]) h.post(data);
      await sleep(30);
      expect(h.ran).toEqual([]);
      expect(h.ignored.foreign).toBe(9 * 3);
      expect(await h.a.peer(h.b.id).add(1, 1)).toBe(2);
    } finally {
      h.done();
    }
  });

  it('malformed records are ignored and reported as malformed', async () => {
    const h = await setup();
    try {
      const to = h.b.id;
      const malformed = [
        { pw: M },
        { pw: M, v: 2, from: 'x', kind: 'hello' },
        { pw: M, v: V, from: '', kind: 'hello' },
        { pw: M, v: V, from: 'x'.repeat(65), kind: 'hello' },
        { pw: M, v: V, from: 'x', kind: 'explode' },
        { pw: M, v: V, from: 'x', kind: 7 },
        { pw: M, v: V, from: 'x', kind: 'msg', to, },
        { pw: M, v: V, from: 'x', kind: 'msg', data: call },
        { pw: M, v: V, from: 'x', kind: 'ping', to: 42 },
        { pw: M, v: V, from: 'x', kind: 'hello', lead: 'yes' },
        { pw: M, v: V, from: 'x', kind: 'msgs', to, data: [call] },
        { pw: M, v: V, from: 'x', kind: 'msgs', to: [to], data: call },
        { pw: M, v: V, from: 'x', kind: 'msgs', to: [to], data: [] },
        { pw: M, v: V, from: 'x', kind: 'msgs', to: [], data: [] },
        { pw: M, v: V, from: 'x', kind: 'msgs', to: [to, 42], data: [call, call] },
        { pw: M, v: V, from: 'x', kind: 'msgs', to: [to], data: [call], lead: true },
      ];
      for (const data of malformed) h.post(data);
      await sleep(30);
      expect(h.ran).toEqual([]);
      expect(h.ignored.malformed).toBe(malformed.length * 3);
      expect(h.a.peers.sort()).toEqual([h.b.id, h.c.id].sort());
    } finally {
      h.done();
    }
  });

  it('forged ids: its own id, an unknown sender, a second hello of a member: ignored, reported, no handler runs', async () => {
    const h = await setup();
    try {
      const { a, b, c } = h;
      h.post({ pw: M, v: V, from: b.id, kind: 'msg', to: c.id, data: ['junk'] }); // seen by b as its own id
      h.post({ pw: M, v: V, from: 'feedfeedfeedfeed', kind: 'msg', to: b.id, data: call }); // nobody b knows
      h.post({ pw: M, v: V, from: 'feedfeedfeedfeed', kind: 'msgs', to: [c.id, b.id], data: [call, call] });
      h.post({ pw: M, v: V, from: 'feedfeedfeedfeed', kind: 'ping', to: b.id });
      h.post({ pw: M, v: V, from: a.id, kind: 'hello' }); // a joined long ago
      await sleep(30);
      expect(h.ran).toEqual([]);
      // b: its own id; b: three from an id it never met, c: one; a: its own id; b and c: a second hello from a.
      expect(h.ignored.forged).toBe(1 + 3 + 1 + 1 + 2);
      expect(b.peers.sort()).toEqual([a.id, c.id].sort());
      expect(await c.peer(b.id).add(2, 2)).toBe(4);
    } finally {
      h.done();
    }
  });

  it('a msgs record whose arrays carry their own methods (every, includes) is read by index: no throw, no handler', async () => {
    const h = await setup();
    const escaped: unknown[] = [];
    const onError = (error: unknown) => escaped.push(error);
    process.on('uncaughtException', onError);
    try {
      const { a, b, c } = h;
      // A clone keeps an array's own properties: code that called to.every or to.includes threw.
      const forged = (ids: string[]) => Object.assign([...ids], { every: 0, includes: 0, some: 0, indexOf: 0 });
      h.post({ pw: M, v: V, from: a.id, kind: 'msgs', to: forged([c.id]), data: [call] });
      h.post({ pw: M, v: V, from: a.id, kind: 'msgs', to: forged([b.id, 42 as never]), data: [call, call] });
      await sleep(30);
      expect(escaped).toEqual([]);
      // c runs the first (addressed to it; b passes it by); the second is malformed for all three.
      expect(h.ignored.malformed).toBe(3);
      expect(h.ran).toEqual(['add 1 2']);
      expect(await b.peer(a.id).add(3, 4)).toBe(7);
    } finally {
      process.off('uncaughtException', onError);
      h.done();
    }
  });

  it('a record addressed to another member never runs a handler here', async () => {
    const h = await setup();
    try {
      // Claims to be a call from a to c: b must not run it (c would: on a BroadcastChannel any
      // same-origin script can speak for anyone, which is why caller does not authenticate).
      h.post({ pw: M, v: V, from: h.a.id, kind: 'msg', to: h.c.id, data: ['portwire:2', 0, 3, 'add', [7, 7]] });
      // The same in one record for several links: b takes none of them, c takes its two, in order.
      const note = (x: number) => ['portwire:2', 0, 3, 'add', [x, x]];
      h.post({ pw: M, v: V, from: h.a.id, kind: 'msgs', to: [h.c.id, h.a.id, h.c.id], data: [note(1), note(9), note(2)] });
      await until(() => h.ran.length === 3);
      await sleep(20);
      expect(h.ran).toEqual(['add 7 7', 'add 1 1', 'add 2 2']);
    } finally {
      h.done();
    }
  });

  it('random records under the group marker (fast-check) crash nothing and run no handler', async () => {
    const h = await setup();
    const escaped: unknown[] = [];
    const onError = (error: unknown) => escaped.push(error);
    process.on('uncaughtException', onError);
    process.on('unhandledRejection', onError);
    try {
      const id = fc.oneof(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 16, maxLength: 16 }), fc.string(), fc.integer(), fc.constant(undefined));
      const kind = fc.oneof(fc.constantFrom('beat', 'ping', 'pong', 'bye', 'gone', 'lead', 'msg', 'msgs', 'here'), fc.string());
      const record = fc.record(
        {
          pw: fc.oneof(fc.constant(M), fc.string()),
          v: fc.oneof(fc.constant(V), fc.string(), fc.integer()),
          from: id,
          to: fc.oneof(id, fc.array(id, { maxLength: 3 })),
          kind,
          lead: fc.oneof(fc.boolean(), fc.anything()),
          data: fc.oneof(fc.constant(call), fc.array(fc.constant(call), { maxLength: 3 }), fc.anything()),
        },
        { requiredKeys: [] },
      );
      const samples = fc.sample(fc.oneof(record, fc.anything()), 5000);
      for (const data of samples) h.post(data);
      await sleep(200);
      expect(escaped).toEqual([]);
      expect(h.ran).toEqual([]);
      expect(await h.a.peer(h.b.id).add(20, 22)).toBe(42);
      const answers = await h.b.callAll('add', [1, 1]);
      expect(answers.filter((entry) => entry.status === 'fulfilled')).toHaveLength(2);
    } finally {
      process.off('uncaughtException', onError);
      process.off('unhandledRejection', onError);
      h.done();
    }
  });
});

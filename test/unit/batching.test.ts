import { afterEach, describe, expect, it } from 'vitest';
import * as P from '../../src/core/protocol';
import { DataCloneError } from '../../src/index';
import { closeAll, collect, eventually, pair, recordPosts, rejection, sleep } from './helpers';

afterEach(closeAll);

function api() {
  const notes: unknown[] = [];
  return {
    notes,
    handlers: {
      add: (a: number, b: number) => a + b,
      async addAsync(a: number, b: number) {
        return a + b;
      },
      note: (value: unknown) => void notes.push(value),
      async *count(n: number) {
        for (let i = 0; i < n; i++) yield i;
      },
      echo: <T>(value: T) => value,
    },
  };
}

/** A connected pair, handshake done, with every postMessage of both ports recorded from now on. */
async function recordedPair(options?: Parameters<typeof pair>[1]) {
  const { handlers, notes } = api();
  const p = pair(handlers, options);
  await p.remote.add(0, 0);
  return { ...p, notes, sent: recordPosts(p.port1), answered: recordPosts(p.port2) };
}

const kinds = (post: { data: { b: unknown[][] } }) => post.data.b.map((m) => m[0]);

describe('batching', () => {
  it('calls made in one turn leave in one postMessage, and their answers come back in one', async () => {
    const { remote, sent, answered } = await recordedPair();
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => remote.add(i, i)));
    expect(results[99]).toBe(198);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.data.b).toHaveLength(100);
    expect(answered).toHaveLength(1);
    expect(answered[0]!.data.b).toHaveLength(100);
  });

  it('async handlers that settle in the same turn answer in one postMessage', async () => {
    const { remote, answered } = await recordedPair();
    await Promise.all(Array.from({ length: 50 }, (_, i) => remote.addAsync(i, 1)));
    expect(answered).toHaveLength(1);
  });

  it('calls and notifications of one turn share a batch, in the order they were made', async () => {
    const { remote, sent, notes } = await recordedPair();
    remote.$notify('note', 'a');
    const call = remote.add(1, 1);
    remote.$notify('note', 'b');
    await call;
    expect(sent).toHaveLength(1);
    expect(kinds(sent[0]!)).toEqual([P.NOTIFY, P.CALL, P.NOTIFY]);
    expect(notes).toEqual(['a', 'b']);
  });

  it('a batch is posted within the same turn: no timer, no task hop', async () => {
    const { remote, sent } = await recordedPair();
    const call = remote.add(2, 2);
    expect(sent).toHaveLength(0); // still queued in this synchronous stretch
    await Promise.resolve();
    expect(sent).toHaveLength(1); // posted by a microtask, before any timer or message event
    expect(await call).toBe(4);
  });

  it('calls in separate turns are separate postMessages', async () => {
    const { remote, sent } = await recordedPair();
    for (let i = 0; i < 3; i++) await remote.add(i, i);
    expect(sent).toHaveLength(3);
  });

  it('one uncloneable message does not sink its batch: the others are delivered', async () => {
    const { remote, notes } = await recordedPair({ near: { onError: () => {} } });
    const before = remote.echo('before');
    remote.$notify('note', 'note before');
    const bad = remote.echo(Symbol('not cloneable'));
    remote.$notify('note', () => 'not cloneable either');
    const after = remote.echo('after');
    remote.$notify('note', 'note after');
    expect(await rejection(bad)).toBeInstanceOf(DataCloneError);
    expect(await Promise.all([before, after])).toEqual(['before', 'after']);
    await eventually(() => notes.length === 2);
    expect(notes).toEqual(['note before', 'note after']);
  });

  it('stream items travel many to a postMessage', async () => {
    const { remote, answered } = await recordedPair({ near: { window: 1024 } });
    const items = await collect(remote.count(1000));
    expect(items).toHaveLength(1000);
    const itemPosts = answered.filter((post) => kinds(post).includes(P.ITEMS));
    expect(itemPosts.length).toBeGreaterThan(0);
    expect(itemPosts.length).toBeLessThanOrEqual(1000 / 50);
  });

  it('a burst too long for one batch leaves in several, in order, each of at most 8 192 entries and a record', async () => {
    const { remote, sent, answered } = await recordedPair();
    const results = await Promise.all(Array.from({ length: 10_000 }, (_, i) => remote.add(i, 1)));
    expect(results).toEqual(Array.from({ length: 10_000 }, (_, i) => i + 1));
    expect(sent.length).toBeGreaterThan(1);
    expect(answered.length).toBeGreaterThan(1);
    const calls = sent.flatMap((post) => post.data.b);
    expect(calls.map((m) => m[0])).toEqual(Array(10_000).fill(P.CALL));
    // Call ids left in the order the calls were made.
    const ids = calls.map((m) => m[1] as number);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    for (const post of [...sent, ...answered]) expect(post.data.b.flat().length).toBeLessThanOrEqual(8_192 + 5);
  });

  it('nothing is left queued once the traffic stops', async () => {
    const { remote, near, far } = await recordedPair();
    await Promise.all([remote.add(1, 1), collect(remote.count(10))]);
    await sleep(5);
    expect(near.stats.queued).toBe(0);
    expect(far.stats.queued).toBe(0);
  });
});

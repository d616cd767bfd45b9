import { describe, expect, it } from 'vitest';
import { context } from '../../src/index';
import { freshName, join, until } from './support';

// What the links of one member send in one turn leaves as one `msgs` record on the channel: a
// notify-all is one post, and each member takes only what is addressed to it, in order.

function recorder() {
  const seen: Array<[string | undefined, unknown]> = [];
  return { seen, handlers: { note: (value: unknown) => void seen.push([context().caller, value]) } };
}

/** Records every group record posted on `name` by others than this listener. */
function watch(name: string) {
  const raw = new BroadcastChannel(name);
  const records: Array<{ kind: string; from: string; to?: string | string[]; data?: unknown }> = [];
  raw.onmessage = (event: MessageEvent) => void records.push(event.data);
  return { records, done: () => raw.close() };
}

describe('one record per turn', () => {
  it('a notify-all to two members is one post carrying both links, and each hears only its own, in order', async () => {
    const name = freshName('one-record');
    const [rb, rc] = [recorder(), recorder()];
    const a = join(name);
    const b = join(name, { handlers: rb.handlers });
    const c = join(name, { handlers: rc.handlers });
    await until(() => [a, b, c].every((g) => g.peers.length === 2));
    const wire = watch(name);
    try {
      for (let i = 0; i < 3; i++) a.notify('note', { i });
      await until(() => rb.seen.length === 3 && rc.seen.length === 3);
      const expected = [0, 1, 2].map((i) => [a.id, { i }]);
      expect(rb.seen).toEqual(expected);
      expect(rc.seen).toEqual(expected);
      const sent = wire.records.filter((record) => record.from === a.id && (record.kind === 'msg' || record.kind === 'msgs'));
      expect(sent).toHaveLength(1);
      expect(sent[0]!.kind).toBe('msgs');
      expect([...(sent[0]!.to as string[])].sort()).toEqual([b.id, c.id].sort());
    } finally {
      wire.done();
    }
  });

  it('a message that cannot be cloned fails alone: its call rejects with DataCloneError, the other member still hears its note', async () => {
    const name = freshName('one-record');
    const rc = recorder();
    const a = join(name);
    const b = join(name, { handlers: { take: () => 'taken' } });
    const c = join(name, { handlers: rc.handlers });
    await until(() => [a, b, c].every((g) => g.peers.length === 2));
    // Same turn: one link's batch holds a function (not cloneable), the other's is fine.
    const failing = a.peer(b.id).take(() => 'not cloneable');
    a.peer(c.id).$notify('note', 'first');
    a.peer(c.id).$notify('note', 'second');
    await expect(failing).rejects.toMatchObject({ name: 'DataCloneError', method: 'take', where: 'argument' });
    await until(() => rc.seen.length === 2);
    expect(rc.seen).toEqual([
      [a.id, 'first'],
      [a.id, 'second'],
    ]);
    expect(await a.peer(b.id).take(), 'the link that failed still works').toBe('taken');
  });

  it('a notify-all that cannot be cloned goes to onError once per member, and the group keeps working', async () => {
    const name = freshName('one-record');
    const errors: unknown[] = [];
    const [rb, rc] = [recorder(), recorder()];
    const a = join(name, { onError: (error) => errors.push(error) });
    const b = join(name, { handlers: rb.handlers });
    const c = join(name, { handlers: rc.handlers });
    await until(() => [a, b, c].every((g) => g.peers.length === 2));
    a.notify('note', Symbol('not cloneable'));
    a.notify('note', 'after');
    await until(() => errors.length === 2 && rb.seen.length === 1 && rc.seen.length === 1);
    expect(errors.map((error) => (error as Error).name)).toEqual(['DataCloneError', 'DataCloneError']);
    expect(rb.seen).toEqual([[a.id, 'after']]);
    expect(rc.seen).toEqual([[a.id, 'after']]);
  });

  it('a batch sent on $close() in the same turn still salvages: the good note arrives, the bad call rejects with DataCloneError', async () => {
    const name = freshName('one-record');
    const rb = recorder();
    const a = join(name);
    const b = join(name, { handlers: { ...rb.handlers, take: () => 'taken' } });
    await until(() => [a, b].every((g) => g.peers.length === 1));
    const link = a.peer(b.id);
    const failing = link.take(() => 'not cloneable');
    link.$notify('note', 'before close');
    link.$close();
    await expect(failing).rejects.toMatchObject({ name: 'DataCloneError', method: 'take' });
    await until(() => rb.seen.length === 1);
    expect(rb.seen).toEqual([[a.id, 'before close']]);
  });
});

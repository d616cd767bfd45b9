import { describe, expect, it } from 'vitest';
import { freshName, join, sleep, until } from './support';

// A member on another portwire protocol version (an old and a new deploy open side by side) is
// told apart from silence by the records' stable outer shape: calls to it fail at once with an
// error naming both versions, never after a timeout.

const M = 'portwire.group';
const OURS = 'portwire:2/presence:2';
const THEIRS = 'portwire:3/presence:4';

/** A member of another version, played on a raw channel: it speaks only the stable records. */
function otherDeploy(name: string, id = 'old0old0old0old0', answerPings = true) {
  const channel = new BroadcastChannel(name);
  const heard: any[] = [];
  channel.addEventListener('message', (event: MessageEvent) => {
    heard.push(event.data);
    const { kind, to, from } = event.data ?? {};
    if (kind === 'ping' && to === id && answerPings) channel.postMessage({ pw: M, v: THEIRS, from: id, kind: 'pong', to: from });
  });
  const post = (record: object) => channel.postMessage({ pw: M, v: THEIRS, from: id, ...record });
  return { id, heard, post, close: () => channel.close() };
}

describe('another protocol version', () => {
  it('calls to it reject at once with VERSION_MISMATCH naming both versions; it is not in peers', async () => {
    const name = freshName('version');
    const ignored: string[] = [];
    const a = join(name, { onIgnored: (reason) => ignored.push(reason), timeout: 30_000 });
    const old = otherDeploy(name);
    try {
      old.post({ kind: 'hello' });
      await until(() => old.heard.some((r) => r.kind === 'here' && r.to === old.id), 3000, 'the answer to its hello');
      const started = Date.now();
      const error = await a.peer(old.id).add(1, 2).catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(100);
      expect(error).toMatchObject({ name: 'PortwireError', code: 'VERSION_MISMATCH' });
      expect((error as Error).message).toContain(THEIRS);
      expect((error as Error).message).toContain(OURS);
      expect(() => a.peer(old.id).$notify('add', 1, 2)).toThrow(/VERSION|speaks protocol/);
      expect(a.peers).toEqual([]);
      expect(ignored).toEqual(['version']);
      // What it sees of us has the same stable shape, so it can tell us apart too.
      const here = old.heard.find((r) => r.kind === 'here');
      expect(here).toMatchObject({ pw: M, v: OURS, from: a.id, kind: 'here', to: old.id });
      old.post({ kind: 'bye' });
      await sleep(20);
      await expect(a.peer(old.id).add(1, 2)).rejects.toMatchObject({ name: 'PeerClosedError' });
    } finally {
      old.close();
    }
  });

  it('a member of another version that was there first learns of us from our hello', async () => {
    const name = freshName('version');
    const old = otherDeploy(name);
    try {
      const a = join(name);
      await until(() => old.heard.some((r) => r.kind === 'hello' && r.from === a.id));
      old.post({ kind: 'here', to: a.id });
      await sleep(20);
      await expect(a.peer(old.id).add(1, 2)).rejects.toMatchObject({ code: 'VERSION_MISMATCH' });
    } finally {
      old.close();
    }
  });

  it('one that answers pings stays known; one that goes silent is forgotten after about three heartbeats', async () => {
    const name = freshName('version');
    const a = join(name, { heartbeat: 20 });
    const alive = otherDeploy(name, 'aaaaaaaaaaaaaaaa', true);
    const mute = otherDeploy(name, 'bbbbbbbbbbbbbbbb', false);
    try {
      alive.post({ kind: 'hello' });
      mute.post({ kind: 'hello' });
      await sleep(250);
      await expect(a.peer(alive.id).add(1, 2)).rejects.toMatchObject({ code: 'VERSION_MISMATCH' });
      await expect(a.peer(mute.id).add(1, 2)).rejects.toMatchObject({ name: 'PeerClosedError' });
    } finally {
      alive.close();
      mute.close();
    }
  });

  it('two members of the same version are never strangers, whatever else is on the channel', async () => {
    const name = freshName('version');
    const old = otherDeploy(name);
    try {
      old.post({ kind: 'hello' });
      const a = join(name, { handlers: { add: (x: number, y: number) => x + y } });
      const b = join(name);
      await until(() => a.peers.length === 1 && b.peers.length === 1);
      expect(await b.peer(a.id).add(1, 2)).toBe(3);
    } finally {
      old.close();
    }
  });
});

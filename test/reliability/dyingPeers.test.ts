import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { createPeer as createStructuralPeer, PeerClosedError, type Peer } from '../../src/index';
import { createPeer, expose } from '../../src/node/index';
import type { FixtureApi } from '../contracts/fixtureApi';
import { createFixtureApi } from '../contracts/fixtureApi';
import { startWorker } from '../fixtures/nodeWorker';
import { fixturesOut } from '../setup/buildFixtures';
import { EMPTY_STATS, sleep, waitFor } from './support';

// A peer that dies mid-call and mid-stream: every pending call and open stream rejects with
// PeerClosedError, nothing stays pending, and the time from the kill to the rejections is printed
// (no assertion on it) for the README.

type DyingApi = FixtureApi & { crashIn(ms: number): Promise<never>; exitIn(ms: number, code: number): Promise<never> };
/** What the near side answers, so the far side can have calls of its own pending on it. */
const nearHandlers = { hang: () => new Promise<never>(() => {}) };

interface Figure {
  endpoint: string;
  detectedBy: string;
  /** Milliseconds from the kill to the last rejection, per kind of work. */
  last: Record<string, number>;
}
const figures: Figure[] = [];

afterAll(() => {
  const kinds = ['calls', 'download', 'upload', 'far calls', 'dying call'];
  const rows = figures.map(
    (f) =>
      `  ${f.endpoint.padEnd(66)} ${f.detectedBy.padEnd(22)}` +
      kinds.map((kind) => (kind in f.last ? `${f.last[kind]!.toFixed(1)} ms` : '-').padStart(12)).join(''),
  );
  console.log(
    `time from kill to the last rejection of each kind of work in flight:\n` +
      `  ${'endpoint, how it dies'.padEnd(66)} ${'detected by'.padEnd(22)}${kinds.map((k) => k.padStart(12)).join('')}\n${rows.join('\n')}`,
  );
});

/**
 * Puts work in flight on `peer`, whose other side exposes the fixture API: ten calls that never
 * answer, a download read continuously, and an upload the other side is summing.
 */
async function inFlight(peer: Peer<any>) {
  const calls: Array<Promise<unknown>> = Array.from({ length: 10 }, (_, i) => peer.remote.hang(`h${i}`));
  const iterator = (await peer.remote.$call('count', [1_000_000, 2], { window: 4 })) as AsyncIterator<number>;
  expect((await iterator.next()).value).toBe(0);
  const download = (async () => {
    for (;;) if ((await iterator.next()).done) return 'ended';
  })();
  let uploadStopped = false;
  async function* forever() {
    try {
      for (let i = 0; ; i++) {
        await sleep(1);
        yield i;
      }
    } finally {
      uploadStopped = true;
    }
  }
  const upload = peer.remote.sum(forever());
  await sleep(30);
  return { watched: { calls, download: [download], upload: [upload] } as Watched, uploadStopped: () => uploadStopped };
}

type Watched = Record<string, Array<Promise<unknown>>>;

/** Kills, then waits for every watched promise: each must reject with PeerClosedError. Records timings. */
async function killAndWatch(endpoint: string, detectedBy: string, watched: Watched, kill: () => unknown, from?: Promise<number>) {
  const settle = (promise: Promise<unknown>) =>
    promise.then(
      (value) => ({ error: undefined as unknown, value, at: performance.now() }),
      (error: unknown) => ({ error, value: undefined as unknown, at: performance.now() }),
    );
  const outcomes = Promise.all(Object.entries(watched).map(async ([kind, list]) => [kind, await Promise.all(list.map(settle))] as const));
  const t0 = performance.now();
  kill();
  const results = await outcomes;
  const start = from ? await from : t0;
  const wrong = results.flatMap(([kind, list]) =>
    list.filter((r) => !(r.error instanceof PeerClosedError)).map((r) => `${kind}: ${r.error ? String(r.error) : `resolved ${String(r.value)}`}`),
  );
  expect(wrong, `${endpoint}: every watched call and stream rejects with PeerClosedError`).toEqual([]);
  const last = Object.fromEntries(results.map(([kind, list]) => [kind, Math.max(...list.map((r) => r.at - start))]));
  figures.push({ endpoint, detectedBy, last });
}

function startDying(port?: MessagePort): Worker {
  return port
    ? new Worker(`${fixturesOut}dying.worker.js`, { workerData: { port }, transferList: [port] })
    : startWorker('dying.worker');
}

describe('dying peers: worker_threads Worker', () => {
  it('terminated mid-call and mid-stream: everything rejects with PeerClosedError, nothing stays pending', async () => {
    const worker = startDying();
    const peer = createPeer<DyingApi>(worker, { timeout: 0 });
    try {
      const work = await inFlight(peer);
      await killAndWatch('Worker, worker.terminate()', "Worker 'exit' event", work.watched, () => void worker.terminate());
      expect(peer.closed).toBe(true);
      expect(peer.stats).toEqual(EMPTY_STATS);
      expect(await waitFor(work.uploadStopped, 2000), 'the upload generator ran its finally').toBe(true);
      await expect(peer.remote.add(1, 2)).rejects.toBeInstanceOf(PeerClosedError);
    } finally {
      peer.close();
      await worker.terminate();
    }
  });

  it('crashing (uncaught exception in the worker) mid-call and mid-stream', async () => {
    const worker = startDying();
    const errored = new Promise<number>((resolve) => worker.once('error', () => resolve(performance.now())));
    const peer = createPeer<DyingApi>(worker, { timeout: 0 });
    try {
      const work = await inFlight(peer);
      const crash = peer.remote.crashIn(20);
      await killAndWatch("Worker, uncaught exception inside (from its 'error')", "Worker 'error' event", { ...work.watched, 'dying call': [crash] }, () => {}, errored);
      expect(peer.stats).toEqual(EMPTY_STATS);
      expect(await waitFor(work.uploadStopped, 2000)).toBe(true);
    } finally {
      peer.close();
      await worker.terminate();
    }
  });

  it('exiting (process.exit inside the worker) mid-call and mid-stream', async () => {
    const worker = startDying();
    const peer = createPeer<DyingApi>(worker, { timeout: 0 });
    try {
      const work = await inFlight(peer);
      const requested = performance.now();
      const exit = peer.remote.exitIn(20, 3);
      await killAndWatch(
        'Worker, process.exit() inside (from the exit request, +20 ms)',
        "Worker 'exit' event",
        { ...work.watched, 'dying call': [exit] },
        () => {},
        Promise.resolve(requested + 20),
      );
      expect(peer.stats).toEqual(EMPTY_STATS);
    } finally {
      peer.close();
      await worker.terminate();
    }
  });
});

describe('dying peers: MessagePort', () => {
  for (const adapter of ['portwire/node', 'structural'] as const) {
    const make = (port: MessagePort, options: object) =>
      adapter === 'portwire/node' ? createPeer<DyingApi>(port, options) : createStructuralPeer<DyingApi>(port as never, options);

    for (const closer of ['near', 'far'] as const) {
      it(`${adapter} adapter: port closed by the ${closer} side; both sides reject everything in flight`, async () => {
        const { port1, port2 } = new MessageChannel();
        const far = expose(createFixtureApi(), port2, { timeout: 0 });
        const near = make(port1, { timeout: 0, handlers: nearHandlers });
        try {
          const work = await inFlight(near);
          // The far side has calls of its own pending on the near side.
          const farCalls = Array.from({ length: 5 }, () => far.remote.hang());
          await sleep(10);
          await killAndWatch(
            `MessagePort (${adapter} adapter), port${closer === 'near' ? 1 : 2}.close() by the ${closer} side`,
            "port 'close' event",
            { ...work.watched, 'far calls': farCalls },
            () => (closer === 'near' ? port1 : port2).close(),
          );
          expect([near.closed, far.closed]).toEqual([true, true]);
          expect({ near: near.stats, far: far.stats }).toEqual({ near: EMPTY_STATS, far: EMPTY_STATS });
          expect(await waitFor(work.uploadStopped, 2000)).toBe(true);
        } finally {
          near.close();
          far.close();
          port1.close();
        }
      });
    }
  }

  it('a port whose other end lives in a worker that is terminated', async () => {
    const { port1, port2 } = new MessageChannel();
    const worker = startDying(port2);
    const near = createPeer<DyingApi>(port1, { timeout: 0 });
    try {
      const work = await inFlight(near);
      await killAndWatch('MessagePort, its other end in a terminated worker', "port 'close' event", work.watched, () => void worker.terminate());
      expect(near.stats).toEqual(EMPTY_STATS);
    } finally {
      near.close();
      port1.close();
      await worker.terminate();
    }
  });

  it('the far side closing its peer explicitly (no endpoint event): CLOSE reaches the near side', async () => {
    const { port1, port2 } = new MessageChannel();
    const far = expose(createFixtureApi(), port2, { timeout: 0 });
    const near = createPeer<DyingApi>(port1, { timeout: 0, handlers: nearHandlers });
    try {
      const work = await inFlight(near);
      await killAndWatch('MessagePort, far.close() (the port stays open)', 'CLOSE message', work.watched, () => far.close());
      expect(near.stats).toEqual(EMPTY_STATS);
      expect(far.stats).toEqual(EMPTY_STATS);
    } finally {
      near.close();
      port1.close();
    }
  });
});

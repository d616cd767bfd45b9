import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import type { Peer } from '../../src/index';
import { createPeer } from '../../src/node/index';
import type { LoadApi } from '../fixtures/load.worker';
import { startWorker } from '../fixtures/nodeWorker';
import { EMPTY_STATS, sleep } from './support';

// Load on one peer over a real worker thread: 100 000 calls in flight at once, each answered with
// its own result; 1 000 streams open at once, interleaved both ways, no item crossing streams.

const CALLS = 100_000;
const STREAMS = 1_000;
const ITEMS = 200;

let worker: Worker;
let peer: Peer<LoadApi>;

beforeAll(async () => {
  worker = startWorker('load.worker');
  peer = createPeer<LoadApi>(worker, { timeout: 0 });
  expect(await peer.remote.echo('ready')).toBe('ready');
});

afterAll(async () => {
  peer.close();
  await worker.terminate();
});

describe('load', () => {
  it(`${CALLS} calls in flight at once, each answered with its own result`, async () => {
    const started = performance.now();
    const calls = Array.from({ length: CALLS }, (_, i) => peer.remote.echo({ i, tag: `call-${i}` }));
    expect(peer.stats.pending, 'all calls pending at once').toBe(CALLS);
    const results = (await Promise.all(calls)) as Array<{ i: number; tag: string }>;
    const ms = performance.now() - started;
    const wrong = results.flatMap((r, i) => (r.i === i && r.tag === `call-${i}` ? [] : [[i, r]]));
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(peer.stats).toEqual(EMPTY_STATS);
    console.log(`load: ${CALLS} echo calls in flight at once, answered in ${ms.toFixed(0)} ms (${Math.round(CALLS / (ms / 1000))} calls/s)`);
  });

  it(`${CALLS} calls in flight at once on both sides (each held 5 ms by the handler)`, async () => {
    const started = performance.now();
    const calls = Array.from({ length: CALLS }, (_, i) => peer.remote.later(i * 3 + 1, 5));
    expect(peer.stats.pending).toBe(CALLS);
    const results = await Promise.all(calls);
    const ms = performance.now() - started;
    expect(results.every((r, i) => r === i * 3 + 1)).toBe(true);
    expect(peer.stats).toEqual(EMPTY_STATS);
    console.log(`load: ${CALLS} timer-held calls in flight at once, answered in ${ms.toFixed(0)} ms`);
  });

  it(`${STREAMS} download streams open at once, interleaved, no item crossed (${ITEMS} items each)`, async () => {
    const started = performance.now();
    // Windows vary per stream (2…129), so credit top-ups and batches interleave differently.
    const iterators = await Promise.all(
      Array.from({ length: STREAMS }, (_, key) => peer.remote.$call('tagged', [key, ITEMS], { window: 2 + (key % 128) })),
    );
    expect(peer.stats.inboxes, 'all streams open at once').toBe(STREAMS);
    const arrival: number[] = [];
    const lists = await Promise.all(
      iterators.map(async (iterator) => {
        const got: Array<[number, number]> = [];
        for await (const item of iterator) {
          got.push(item);
          arrival.push(item[0]);
        }
        return got;
      }),
    );
    const ms = performance.now() - started;
    const crossed = lists.flatMap((list, key) =>
      list.length === ITEMS && list.every(([k, i], at) => k === key && i === at) ? [] : [key],
    );
    expect(crossed).toEqual([]);
    expect(peer.stats).toEqual(EMPTY_STATS);
    let switches = 0;
    for (let i = 1; i < arrival.length; i++) if (arrival[i] !== arrival[i - 1]) switches++;
    console.log(
      `load: ${STREAMS} download streams × ${ITEMS} items = ${STREAMS * ITEMS} items in ${ms.toFixed(0)} ms; ` +
        `the reader switched stream ${switches} times`,
    );
  });

  it(`${STREAMS} upload streams at once, interleaved, no item crossed (${ITEMS} items each)`, async () => {
    const started = performance.now();
    const produced = new Array<number>(STREAMS).fill(0);
    async function* upload(key: number) {
      for (let i = 0; i < ITEMS; i++) {
        if (i % 16 === 15) await sleep(0);
        produced[key]!++;
        yield [key, i] as [number, number];
      }
    }
    const calls = Array.from({ length: STREAMS }, (_, key) => peer.remote.checkUpload(key, upload(key)));
    expect(peer.stats.outboxes, 'all uploads open at once').toBe(STREAMS);
    const answers = await Promise.all(calls);
    const ms = performance.now() - started;
    expect(answers.filter((a, key) => !(a.ok && a.key === key && a.count === ITEMS))).toEqual([]);
    expect(produced.every((n) => n === ITEMS)).toBe(true);
    expect(peer.stats).toEqual(EMPTY_STATS);
    console.log(`load: ${STREAMS} upload streams × ${ITEMS} items = ${STREAMS * ITEMS} items in ${ms.toFixed(0)} ms`);
  });
});

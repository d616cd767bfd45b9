import { afterEach, expect, it } from 'vitest';
import { connect } from '../../src/node/index';
import { startWorker } from '../fixtures/nodeWorker';

// An onError that throws is the app's bug, but it must not cost anything else: the rest of the
// batch it came from is still handled and still sent, and what it threw surfaces on its own, as
// an uncaught error of that thread, once.

interface FarApi {
  fail(): void;
  add(a: number, b: number): number;
  uncaught(count: number): string[];
  callAfterUncloneable(): number;
  secondListener(name: string): boolean;
}

let stop: (() => Promise<number>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

function start() {
  const worker = startWorker('throwingOnError.worker');
  stop = () => worker.terminate();
  // Quick to fail: without the fix the calls below are never answered.
  return connect<FarApi>(worker, { timeout: 3_000 });
}

it('a throwing onError on the receiving side does not drop the rest of the batch', async () => {
  const far = start();
  // One turn, so one batch: a notification whose handler fails, then two calls behind it.
  far.$notify('fail');
  const sums = Promise.all([far.add(1, 2), far.add(3, 4)]);
  await expect(sums).resolves.toEqual([3, 7]);
  expect(await far.uncaught(1)).toEqual(['onError threw on: the handler failed']);
  // Once: a later round trip finds nothing more.
  await far.add(0, 0);
  expect(await far.uncaught(1)).toEqual(['onError threw on: the handler failed']);
});

it('a throwing onError while a batch is re-sent record by record does not stop the rest', async () => {
  const far = start();
  await expect(far.callAfterUncloneable()).resolves.toBe(5);
  const uncaught = await far.uncaught(1);
  expect(uncaught).toHaveLength(1);
  expect(uncaught[0]).toMatch(/^onError threw on: .*note/);
});

it("a throwing onError does not keep a group's other listeners from an event", async () => {
  const far = start();
  await expect(far.secondListener(`test:onError:${process.pid}`)).resolves.toBe(true);
  expect(await far.uncaught(1)).toEqual(['onError threw on: the first listener failed']);
});

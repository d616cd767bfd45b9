import { expect, test } from '@playwright/test';

// Pools of real Web Workers in Chromium (e2e/pages/pool.ts): dispatch, streams, crashes, abort and
// close, with each worker reporting when its calls ran, and a heartbeat outside portwire that
// shows which workers are still alive.

test.beforeEach(async ({ page }) => {
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto('/e2e/pages/pool.html');
  await page.waitForFunction(() => typeof window.harness === 'object');
});

test('N CPU-bound calls on a pool of 2 use both workers and overlap in time', async ({ page }) => {
  const ran = await page.evaluate(async () => {
    // Both started and answering first: a worker still loading would leave the other to take every call.
    const workers = window.harness.make({ size: 2, eager: true });
    await workers.callAll('whoami', []);
    return Promise.all(Array.from({ length: 8 }, () => workers.remote.spin(40)));
  });
  const names = [...new Set(ran.map((r) => r.worker))];
  expect(names, 'both workers ran calls').toHaveLength(2);
  const [a, b] = names.map((name) => ran.filter((r) => r.worker === name));
  expect(a!.length + b!.length).toBe(8);
  const overlapping = a!.filter((x) => b!.some((y) => x.start < y.end && y.start < x.end));
  expect(overlapping.length, 'calls of the two workers ran at the same time').toBeGreaterThan(0);
  for (const calls of [a!, b!]) {
    const sorted = [...calls].sort((x, y) => x.start - y.start);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.start, 'one call at a time per worker').toBeGreaterThanOrEqual(sorted[i - 1]!.end);
  }
});

test('least busy: a worker with a long call gets nothing new while another is idle; waiting calls keep their order', async ({ page }) => {
  const { busy, short, queued, order } = await page.evaluate(async () => {
    const workers = window.harness.make({ size: 2, eager: true });
    await workers.callAll('whoami', []);
    const long = workers.remote.spin(500);
    await window.harness.sleep(20);
    const short = [];
    for (let i = 0; i < 4; i++) short.push(await workers.remote.spin(5));
    const busy = await long;
    // The gap is wide so that a page stalled by a loaded machine still hears the short one first:
    // if both answers wait in its queue together, the long one's worker may look free as well.
    const first = workers.remote.spin(1200);
    const second = workers.remote.spin(60);
    const waiting = [workers.remote.spin(5), workers.remote.spin(5), workers.remote.spin(5)];
    const queued = workers.stats.queued;
    const [, b, ...rest] = await Promise.all([first, second, ...waiting]);
    return { busy, short, queued, order: { second: b!, rest } };
  });
  for (const call of short) {
    expect(call.worker).not.toBe(busy.worker);
    expect(call.end).toBeLessThan(busy.end);
  }
  expect(queued).toBe(3);
  for (const call of order.rest) expect(call.worker, 'the first worker to free up took them').toBe(order.second.worker);
  for (let i = 1; i < order.rest.length; i++) expect(order.rest[i]!.start).toBeGreaterThanOrEqual(order.rest[i - 1]!.end);
});

test('a stream stays on the worker that started it and holds its slot until it ends', async ({ page }) => {
  const result = await page.evaluate(async () => {
    const workers = window.harness.make({ size: 2, eager: true });
    await workers.callAll('whoami', []);
    const seen = new Set<string>();
    const meanwhile = new Set<string>();
    // 300 tiles on a 256-item window: the producer cannot end (and free its slot) before the
    // reader has taken 44, so the calls made before then surely meet the stream still open.
    for await (const tile of workers.remote.tiles(300, 0)) {
      seen.add(tile.worker);
      if (tile.i % 10 === 0 && tile.i < 44) meanwhile.add(await workers.remote.whoami());
    }
    const single = window.harness.make({ size: 1 });
    const iterator = await single.remote.tiles(1000, 5);
    await iterator.next();
    const waiting = single.remote.whoami();
    await window.harness.sleep(100);
    const queuedWhileOpen = single.stats.queued;
    await iterator.return();
    await waiting;
    // The generator's finally runs at its next step, once the cancel has reached it.
    for (let i = 0; i < 100 && (await single.remote.streamsEnded()) === 0; i++) await window.harness.sleep(10);
    return { seen: [...seen], meanwhile: [...meanwhile], queuedWhileOpen, ended: await single.remote.streamsEnded() };
  });
  expect(result.seen).toHaveLength(1);
  expect(result.meanwhile).toHaveLength(1);
  expect(result.meanwhile[0]).not.toBe(result.seen[0]);
  expect(result.queuedWhileOpen).toBe(1);
  expect(result.ended, "the generator's finally ran").toBe(1);
});

test('a crash mid-call rejects that call with PeerClosedError; the pool refills and later calls succeed', async ({ page }) => {
  const result = await page.evaluate(async () => {
    const workers = window.harness.make({ size: 2, eager: true });
    await workers.callAll('whoami', []);
    const before = workers.peers;
    const error = await workers.remote.crashIn(30).then(
      () => undefined,
      (e: Error) => ({ name: e.name, message: e.message }),
    );
    while (workers.peers.length < 2) await window.harness.sleep(10);
    const ran = await Promise.all(Array.from({ length: 6 }, () => workers.remote.spin(20)));
    return { error, before, after: workers.peers, events: window.harness.events, ran: [...new Set(ran.map((r) => r.worker))] };
  });
  expect(result.error).toMatchObject({ name: 'PeerClosedError', message: expect.stringContaining('the worker crashed on purpose') });
  const gone = result.before.find((id) => !result.after.includes(id))!;
  expect(result.events).toEqual([`leave ${gone} exited`, expect.stringMatching(/^join /)]);
  expect(result.ran.sort(), 'both workers answer, the replacement too').toEqual([...result.after].sort());
});

test('a worker that closes itself is found by the heartbeat option, its call rejects, and it is replaced', async ({ page }) => {
  const result = await page.evaluate(async () => {
    const workers = window.harness.make({ size: 1, heartbeat: 100 });
    await workers.remote.whoami();
    const error = await workers.remote.exitIn(10).then(
      () => undefined,
      (e: Error) => e.name,
    );
    while (workers.peers.length < 1) await window.harness.sleep(10);
    return { error, events: window.harness.events, later: await workers.remote.whoami(), peers: workers.peers };
  });
  expect(result.error).toBe('PeerClosedError');
  expect(result.events[1]).toMatch(/ silent$/);
  expect(result.later).toBe(result.peers[0]);
});

test('abort frees the slot at once, for a running call and for one still waiting in the pool', async ({ page }) => {
  const result = await page.evaluate(async () => {
    const workers = window.harness.make({ size: 1 });
    await workers.remote.whoami();
    const running = new AbortController();
    const hanging = workers.remote.$call('hang', [], { signal: running.signal });
    const waiting = new AbortController();
    const queued = workers.remote.$call('setConfig', ['never'], { signal: waiting.signal });
    const next = workers.remote.whoami();
    const queuedBefore = workers.stats.queued;
    waiting.abort();
    const queuedError = await queued.then(() => 'resolved', (e: Error) => e.name);
    const queuedAfterAbort = workers.stats.queued;
    await window.harness.sleep(50);
    running.abort();
    const runningError = await hanging.then(() => 'resolved', (e: Error) => e.name);
    const queuedAfterRunningAbort = workers.stats.queued;
    return {
      queuedBefore,
      queuedError,
      queuedAfterAbort,
      runningError,
      queuedAfterRunningAbort,
      next: await next,
      aborted: await workers.remote.aborted(),
      config: (await workers.remote.getConfig()).config ?? null,
    };
  });
  expect(result).toEqual({
    queuedBefore: 2,
    queuedError: 'AbortError',
    queuedAfterAbort: 1,
    runningError: 'AbortError',
    queuedAfterRunningAbort: 0,
    next: expect.any(String),
    aborted: 1,
    config: null,
  });
});

test('close() terminates every Worker: their heartbeats stop, and every call rejects', async ({ page }) => {
  const result = await page.evaluate(async () => {
    const { harness } = window;
    const workers = harness.make({ size: 3, eager: true });
    await workers.callAll('whoami', []);
    const ids = workers.peers;
    const since = performance.now();
    const beating = () => ids.filter((id) => (harness.beats.get(id) ?? -Infinity) > since).length;
    for (let i = 0; i < 200 && beating() < ids.length; i++) await harness.sleep(10);
    const alive = beating();
    const running = workers.remote.hang().then(() => 'resolved', (e: Error) => e.name);
    workers.close();
    const closedAt = performance.now();
    // A beat posted just before the end may still be on its way; none comes well after it.
    await harness.sleep(500);
    const lateBeats = ids.filter((id) => harness.beats.get(id)! > closedAt + 150).length;
    return { ids: ids.length, alive, running: await running, lateBeats, later: await workers.remote.whoami().then(() => 'resolved', (e: Error) => e.name), made: harness.made };
  });
  expect(result).toEqual({ ids: 3, alive: 3, running: 'PeerClosedError', lateBeats: 0, later: 'PeerClosedError', made: 3 });
});

test('transfer moves buffers, context() sees the call, errors keep their fidelity, size defaults to cores − 1', async ({ page }) => {
  const result = await page.evaluate(async () => {
    const workers = window.harness.make({ size: 1 });
    const buffer = new Uint8Array([21]).buffer;
    const back = await workers.remote.$call('double', [buffer], { transfer: [buffer] });
    const error = await workers.remote.fail().then(() => undefined, (e: Error & { code: string; remoteName: string; cause: unknown }) => ({ name: e.name, code: e.code, remoteName: e.remoteName, cause: e.cause }));
    return {
      moved: buffer.byteLength,
      back: new Uint8Array(back)[0],
      ctx: await workers.remote.ctx('a', 1),
      error,
      defaultSize: window.harness.make().size,
      cores: navigator.hardwareConcurrency,
    };
  });
  expect(result.moved).toBe(0);
  expect(result.back).toBe(42);
  expect(result.ctx).toMatchObject({ method: 'ctx', args: ['a', 1] });
  expect(result.error).toEqual({ name: 'RemoteError', code: 'E_TOO_BIG', remoteName: 'RangeError', cause: { limit: 10 } });
  expect(result.defaultSize).toBe(Math.max(1, result.cores - 1));
});

import { expect, test, type Page } from '@playwright/test';

// Issue #5 (reliability), the browser half: dying peers, uncloneable values, hostile input and load,
// in headless Chromium over real dedicated Workers and SharedWorkers. The scenarios run in
// e2e/pages/reliability.ts (and the workers next to it) and return plain data; the assertions are
// here. Times are measured and reported (console and test annotations), never asserted.

const EMPTY_STATS = { pending: 0, incoming: 0, inboxes: 0, outboxes: 0, uploads: 0, queued: 0 };
const HEARTBEAT = 100;

type Settled = { kind: string; settled: string; name: string; code: unknown; peerClosed: boolean; message: string };

/** Outcomes that are not a rejection with portwire's PeerClosedError (empty when all are). */
const notPeerClosed = (outcomes: Settled[]) =>
  outcomes.filter((o) => !(o.settled === 'rejected' && o.peerClosed && o.name === 'PeerClosedError' && o.code === 'PEER_CLOSED'));

function measured(text: string): void {
  console.log(`[reliability] ${text}`);
  test.info().annotations.push({ type: 'measured', description: text });
}

/** Opens the reliability page and records what escapes in it (uncaught errors). */
async function open(page: Page) {
  const escaped: string[] = [];
  page.on('pageerror', (error) => escaped.push(`pageerror: ${error.stack ?? error.message}`));
  await page.goto('/e2e/pages/reliability.html');
  await page.waitForFunction(() => typeof window.rel === 'object');
  return escaped;
}

test.describe('dying dedicated Worker', () => {
  test(`terminate() mid-call and mid-stream: everything rejects with PeerClosedError through the heartbeat (${HEARTBEAT} ms); the peer holds nothing`, async ({
    page,
  }) => {
    const escaped = await open(page);
    // The peer is made once the worker's script has loaded (see the 600 ms test below for why).
    const r = await page.evaluate((heartbeat) => window.rel.dyingWorker(heartbeat), HEARTBEAT);
    measured(`dedicated Worker boot (new Worker() → script loaded, from the Vite dev server): ${r.bootMs.toFixed(0)} ms`);
    // The work really was in flight: 10 calls + the upload's call, 5 calls from the worker, one
    // download being read, one upload being sent.
    expect(r.before).toEqual({ pending: 11, incoming: 5, inboxes: 1, outboxes: 1, uploads: 1, queued: r.before.queued });
    expect(notPeerClosed(r.outcomes), 'every call, the stream’s next() and the upload reject with PeerClosedError').toEqual([]);
    expect(r.outcomes).toHaveLength(12);
    expect(new Set(r.outcomes.map((o) => o.message)), 'detected by the heartbeat').toEqual(new Set(['portwire: the other side stopped answering']));
    expect(r.nextAgain, 'next() on the stream afterwards').toMatchObject({ settled: 'rejected', peerClosed: true });
    expect(r.callAfter, 'a new call afterwards').toMatchObject({ settled: 'rejected', peerClosed: true });
    expect(r.closed).toBe(true);
    expect(r.after).toEqual(EMPTY_STATS);
    expect(r.uploadStopped, "the upload generator's finally ran").toBe(true);
    expect(r.aborted, "the page handlers' signals fired for the worker's calls").toEqual(['back0', 'back1', 'back2', 'back3', 'back4']);
    expect([...escaped, ...r.unhandled]).toEqual([]);
    const times = r.outcomes.map((o) => o.ms);
    measured(
      `dedicated Worker terminate() → PeerClosedError with heartbeat ${HEARTBEAT} ms: ` +
        `${Math.min(...times).toFixed(0)}–${Math.max(...times).toFixed(0)} ms for ${times.length} calls/streams ` +
        `(closes after 3 silent intervals, checked every interval)`,
    );
  });

  test("a stray uncaught error in a live worker leaves the connection open: the worker is alive and keeps answering", async ({ page }) => {
    const escaped = await open(page);
    const r = await page.evaluate(() => window.rel.strayError());
    expect(r.errorEvent).toContain('a stray uncaught error in the worker');
    // A browser worker survives an uncaught error; its 'error' event after it has spoken is not death.
    expect(r.closed).toBe(false);
    expect(r.stillAnswers).toBe(42);
    expect(r.next).toEqual({ value: 1, done: false });
    expect(r.outcomes, 'calls in flight are still in flight').toEqual(Array(5).fill('still pending'));
    expect(r.far.closed).toBe(false);
    expect(r.far.escaped, 'the worker saw its own error').toEqual(['error: Uncaught Error: a stray uncaught error in the worker']);
    expect(escaped).toEqual([]);
  });

  test(`heartbeat (${HEARTBEAT} ms) on a worker that takes 600 ms to expose: a call made at once still completes (the handshake waits)`, async ({
    page,
  }) => {
    const escaped = await open(page);
    // Control: without a heartbeat the call waits for the handshake and completes.
    const control = await page.evaluate(() => window.rel.slowWorker(0));
    expect(control.outcome).toMatchObject({ settled: 'resolved', message: '3' });
    // "Calls made before the other side called expose still complete" (DESIGN.md, Handshake) must
    // hold with a heartbeat too: a worker still loading is not a dead one.
    const r = await page.evaluate((heartbeat) => window.rel.slowWorker(heartbeat), HEARTBEAT);
    measured(
      `heartbeat ${HEARTBEAT} ms, worker exposing after 600 ms: the call made at once ${r.outcome.settled} after ${r.outcome.ms.toFixed(0)} ms ` +
        `(${r.outcome.settled === 'resolved' ? r.outcome.message : `${r.outcome.name}: ${r.outcome.message}`}); without heartbeat it resolved after ${control.outcome.ms.toFixed(0)} ms`,
    );
    expect(r.outcome, 'the call made before the worker exposed').toMatchObject({ settled: 'resolved', message: '3' });
    expect(r.closed).toBe(false);
    expect(escaped).toEqual([]);
  });

  for (const which of ['throws', 'missing'] as const) {
    const title =
      which === 'throws'
        ? "a Worker whose script throws at top level: its 'error' event closes the peer, no heartbeat needed"
        : "a Worker whose script is not found (404): its 'error' event closes the peer, no heartbeat needed";
    test(title, async ({ page }) => {
      const escaped = await open(page);
      const r = await page.evaluate((w) => window.rel.failingWorker(w), which);
      expect(r.errorEvent, "the Worker fired 'error'").toBe(true);
      expect(notPeerClosed(r.outcomes), 'calls made before the failure reject with PeerClosedError').toEqual([]);
      expect(new Set(r.outcomes.map((o) => o.message))).toEqual(new Set(['portwire: the worker failed to start']));
      expect(r.closed).toBe(true);
      expect(r.after).toEqual(EMPTY_STATS);
      // The worker's own exception is reported by the browser; nothing else may escape.
      expect(escaped).toEqual([]);
      measured(
        `dedicated Worker, script ${which === 'throws' ? 'throws at top level' : 'not found'}: 'error' event ` +
          `(${JSON.stringify(r.errorMessage)}) → PeerClosedError within ${Math.max(r.afterError, 0).toFixed(1)} ms; ` +
          `${Math.max(...r.outcomes.map((o) => o.ms)).toFixed(0)} ms after new Worker()`,
      );
    });
  }
});

test.describe('SharedWorker client gone', () => {
  /**
   * Two pages of one app share a SharedWorker: the observer stays, the client leaves. The worker
   * has calls into the client, reads a stream from it and the client's upload, and the client has a
   * call pending in the worker. Returns what the worker's peer for the client saw.
   */
  async function clientGone(observer: Page, client: Page, heartbeat: number, leave: (client: Page) => Promise<unknown>) {
    const workerName = `reliability:${heartbeat}:${test.info().testId}:${Date.now()}`;
    const escaped = [...(await open(observer)), ...(await open(client))];
    // The observer starts the SharedWorker, so the worker does not live in the client's process.
    // The observer's own connection runs without a heartbeat (see reliability.shared.ts).
    expect(await observer.evaluate((name) => window.rel.sharedConnect(name, 'observer'), workerName)).toBe(0);
    expect(await client.evaluate((name) => window.rel.sharedConnect(name, 'client'), workerName)).toBe(heartbeat);
    await client.evaluate(() => window.rel.sharedHold());
    const report = () => observer.evaluate(() => window.rel.sharedReport('client'));
    await expect
      .poll(async () => {
        const r = await report();
        return r && { stats: r.stats, flowing: r.ticksSeen > 2 && r.uploadSeen > 2 };
      }, { message: 'work in flight on the client’s connection' })
      // 5 calls into the client; its stream and its upload read here; its upload call and hangHere.
      .toEqual({ stats: { pending: 5, incoming: 2, inboxes: 2, outboxes: 0, uploads: 0, queued: 0 }, flowing: true });

    const left = Date.now();
    await leave(client);
    await expect.poll(async () => (await report())!.outcomes.length, { timeout: 10_000, message: 'all watched work settled' }).toBe(8);
    const r = (await report())!;
    expect(notPeerClosed(r.outcomes), 'everything the worker held for the client rejects with PeerClosedError').toEqual([]);
    expect(r.closed).toBe(true);
    expect(r.stats, "the worker's peer for the client holds nothing").toEqual(EMPTY_STATS);
    // The observer's own connection is unharmed.
    expect(await observer.evaluate(() => window.rel.sharedReport('observer'))).toMatchObject({ closed: false });
    expect([...escaped, ...r.escaped], 'uncaught errors in the pages and the SharedWorker').toEqual([]);
    const times = r.outcomes.map((o) => o.at - left);
    return { reasons: [...new Set(r.outcomes.map((o) => o.message))], first: Math.min(...times), last: Math.max(...times) };
  }

  test('the client page closes (pagehide sends CLOSE): its pending work in the SharedWorker rejects with PeerClosedError, its peer holds nothing', async ({
    page,
    context,
  }) => {
    const client = await context.newPage();
    const r = await clientGone(page, client, 0, (p) => p.close());
    expect(r.reasons, 'detected by the CLOSE message sent on pagehide (no heartbeat here)').toEqual(['portwire: the other side closed the peer']);
    measured(`SharedWorker client page.close() → PeerClosedError in the worker: ${r.first.toFixed(0)}–${r.last.toFixed(0)} ms after page.close() was called (CLOSE on pagehide, heartbeat off)`);
  });

  test(`the client page crashes (no CLOSE): detected with heartbeat ${HEARTBEAT} ms, everything rejects with PeerClosedError`, async ({
    page,
    context,
  }) => {
    const client = await context.newPage();
    const r = await clientGone(page, client, HEARTBEAT, async (p) => {
      const cdp = await context.newCDPSession(p);
      // The renderer dies at once: no pagehide, no CLOSE; the CDP call itself never answers.
      void cdp.send('Page.crash').catch(() => {});
      await p.waitForEvent('crash');
    });
    measured(
      `SharedWorker client crashed (CDP Page.crash) → PeerClosedError in the worker: ${r.first.toFixed(0)}–${r.last.toFixed(0)} ms after the crash was requested; ` +
        `detected by: ${r.reasons.join(' / ')}`,
    );
    // No CLOSE can come from a crashed page: the heartbeat (or a port 'close' event, where the
    // browser fires one; Chromium 156 does not) is what notices.
    expect(r.reasons).toHaveLength(1);
    expect(['portwire: the other side stopped answering', 'portwire: the endpoint closed']).toContain(r.reasons[0]);
  });
});

test('uncloneable values (DOM nodes, functions, symbols) both ways: DataCloneError naming the method and where; the peer keeps working', async ({
  page,
}) => {
  const escaped = await open(page);
  const r = await page.evaluate(() => window.rel.uncloneable());
  const clone = (label: string, method: string, where: string, extra: object = {}) => ({
    label,
    name: 'DataCloneError',
    code: 'DATA_CLONE',
    method,
    where,
    rpcCode: where === 'argument' || where === 'notification' ? -32602 : -32603,
    causeName: 'DataCloneError',
    namesMethod: true,
    ...extra,
  });
  const ARGS = [
    'document.body',
    'a detached <canvas> element',
    'a text node',
    'an element inside an object',
    'an element inside a Map',
    'window',
    'an Event',
    'a function',
    'a symbol',
    'a function inside an array',
  ];
  const KINDS = ['a function', 'a symbol', 'a function inside an object', 'a symbol inside an array', 'a function inside a Map'];
  // On the side that failed to send, the platform's DataCloneError is the cause; what failed in the
  // worker (results, items, errors) is rebuilt from the wire, its cause a plain Error with the message.
  const inWorker = { causeName: 'Error' };
  const expected = [
    ...ARGS.map((label) => clone(`argument: ${label}`, 'echo', 'argument')),
    clone('upload item: document.body', 'sum', 'item'),
    ...KINDS.map((label) => clone(`result: ${label}`, 'result', 'result', inWorker)),
    ...KINDS.map((label) => clone(`stream item: ${label}`, 'items', 'item', { ...inWorker, itemsBefore: [0, 1] })),
    ...['throwFunctionProperty', 'throwSymbol', 'throwFunction', 'throwFunctionCause'].map((method) =>
      clone(`thrown: ${method}`, method, 'error', inWorker),
    ),
    clone('stream error: an Error with a function property', 'failsUncloneably', 'error', { ...inWorker, itemsBefore: [0, 1] }),
  ];
  expect(r.results).toEqual(expected);
  expect(r.batched, 'calls batched with an uncloneable one in the same turn still go through').toEqual([3, 'DataCloneError', 7]);
  expect(r.uploadStopped, 'the upload generator was stopped').toBe(true);
  expect(r.onErrors, "uncloneable notifications go to the sender's onError").toEqual([
    { name: 'DataCloneError', method: 'note', where: 'notification', rpcCode: -32602 },
    { name: 'DataCloneError', method: 'note', where: 'notification', rpcCode: -32602 },
  ]);
  expect(r.far.echo, 'the handler never ran for an uncloneable argument').toBe(0);
  expect(r.far.note, 'only the cloneable notification ran').toBe(1);
  expect(r.far.finallyRan, 'producers of uncloneable items ran their finally').toEqual(KINDS.map((_, i) => `items:${i}`));
  expect(r.stillWorks).toEqual([5, { a: [1, 'two'] }]);
  expect(r.near).toEqual(EMPTY_STATS);
  expect(r.far.stats, 'the worker holds nothing').toEqual(EMPTY_STATS);
  expect([...escaped, ...r.unhandled, ...r.far.escaped]).toEqual([]);
});

test('hostile input both ways on a page ↔ worker connection: nothing escapes, no malformed call runs, both sides still answer', async ({
  page,
}) => {
  const SEED = 0x5eed;
  const POSTS = 3000;
  const escaped = await open(page);
  const r = await page.evaluate(([seed, count]) => window.rel.hostile(seed, count), [SEED, POSTS] as const);
  expect(r.firstTwo).toEqual(['S:0', 'S:1']);
  expect(r.probesBefore).toEqual(['worker:0', 'page:0']);
  expect(r.probesAfter, 'both sides still answer').toEqual(['worker:1', 'page:1']);
  expect(r.during.closed, 'neither side closed (off-channel CLOSEs were ignored)').toEqual([false, false]);
  expect(r.during.pageCounts, 'page: no malformed or off-channel hit ran; every well-formed ok did').toEqual({
    ok: r.expectedByPage.ok,
    hit: 0,
    probe: 2,
    park: 5,
  });
  expect(r.during.workerCounts, 'worker: the same').toEqual({ ok: r.expectedByWorker.ok, hit: 0, probe: 2, park: 5 });
  const notFound = (n: number) => Array.from({ length: n }, () => ({ name: 'MethodNotFoundError', code: 'METHOD_NOT_FOUND' }));
  expect(r.during.pageOnErrors, 'page onError: exactly the well-formed notifications of unknown names').toEqual(notFound(r.expectedByPage.notFound));
  expect(r.during.workerOnErrors, 'worker onError: the same').toEqual(notFound(r.expectedByWorker.notFound));
  expect(r.during.early, 'parked calls settled by forged answers').toEqual([]);
  expect(r.parkedAnswers).toEqual([
    ['P0', 'P1', 'P2', 'P3', 'P4'],
    ['W0', 'W1', 'W2', 'W3', 'W4'],
  ]);
  expect(r.rest, 'the half-read stream is intact').toEqual(Array.from({ length: 98 }, (_, i) => `S:${i + 2}`));
  expect(r.near).toEqual(EMPTY_STATS);
  expect(r.far, 'the worker holds nothing').toEqual(EMPTY_STATS);
  expect(r.prototypeUnchanged).toBe(true);
  expect(escaped, 'uncaught errors in the page').toEqual([]);
  expect(r.unhandled, 'unhandled rejections in the page').toEqual([]);
  expect(r.workerEscaped, 'uncaught errors and unhandled rejections in the worker').toEqual([]);
  // The generators did make what they claim: real hits and closes off-channel, work on-channel.
  for (const e of [r.expectedByPage, r.expectedByWorker]) {
    expect(e.messages).toBeGreaterThan(POSTS);
    expect(e.offChannelHits).toBeGreaterThan(100);
    expect(e.offChannelCloses).toBeGreaterThan(100);
    expect(e.ok).toBeGreaterThan(100);
    expect(e.notFound).toBeGreaterThan(50);
  }
  measured(
    `hostile input (seed ${SEED}): ${r.expectedByWorker.messages} messages page → worker and ${r.expectedByPage.messages} worker → page ` +
      `in ${POSTS} posts each way, in ${r.ms.toFixed(0)} ms; off-channel hit calls ${r.expectedByWorker.offChannelHits}+${r.expectedByPage.offChannelHits} ` +
      `and CLOSEs ${r.expectedByWorker.offChannelCloses}+${r.expectedByPage.offChannelCloses} ignored; ` +
      `well-formed ok ran ${r.expectedByWorker.ok}+${r.expectedByPage.ok}; unknown notifications reported ${r.expectedByWorker.notFound}+${r.expectedByPage.notFound}`,
  );
});

test('load: 100 000 calls in flight at once, 1 000 concurrent streams each way, no answer or item crossed', async ({ page }) => {
  const CALLS = 100_000;
  const STREAMS = 1_000;
  const DOWN = 200;
  const UP = 100;
  const escaped = await open(page);
  const r = await page.evaluate(([c, s, d, u]) => window.rel.load(c, s, d, u), [CALLS, STREAMS, DOWN, UP] as const);
  expect(r.pendingAtOnce, 'all calls pending at once').toBe(CALLS);
  expect(r.wrongCalls, 'each call answered with its own result').toEqual([]);
  expect(r.afterCalls).toEqual(EMPTY_STATS);
  expect(r.inboxesAtOnce, 'all downloads open at once').toBe(STREAMS);
  expect(r.crossedDown, 'downloads with a missing, extra or foreign item').toEqual([]);
  expect(r.switches, 'the downloads interleaved').toBeGreaterThan(STREAMS);
  expect(r.outboxesAtOnce, 'all uploads open at once').toBe(STREAMS);
  expect(r.crossedUp, 'uploads with a missing, extra or foreign item').toEqual([]);
  expect(r.near).toEqual(EMPTY_STATS);
  expect(r.far).toEqual(EMPTY_STATS);
  expect([...escaped, ...r.unhandled, ...r.escaped]).toEqual([]);
  measured(
    `load: ${CALLS} calls in flight answered in ${r.callsMs.toFixed(0)} ms (${Math.round(CALLS / (r.callsMs / 1000))} calls/s); ` +
      `${STREAMS} downloads × ${DOWN} items in ${r.downloadMs.toFixed(0)} ms (${Math.round((STREAMS * DOWN) / (r.downloadMs / 1000))} items/s, ` +
      `reader switched stream ${r.switches} times); ${STREAMS} uploads × ${UP} items in ${r.uploadMs.toFixed(0)} ms`,
  );
});


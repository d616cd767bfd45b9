import { expect, test, type BrowserContext, type Page } from '@playwright/test';

// BroadcastChannel groups in Chromium: several tabs (pages) of one browser context, each a
// member of one group (e2e/pages/group.ts). Uncaught errors in any tab fail the test.

// 500 ms, not less: on a loaded 2-core machine a healthy tab can stall for the 3–4 beats a
// shorter heartbeat allows, and be dropped as silent before the test has started.
const HEARTBEAT = 500;
let errors: string[] = [];
let groups = 0;

test.beforeEach(() => {
  errors = [];
});
test.afterEach(() => {
  expect(errors, 'uncaught errors in the tabs').toEqual([]);
});

function measured(text: string): void {
  console.log(`[groups] ${text}`);
  test.info().annotations.push({ type: 'measured', description: text });
}

/** Opens `count` tabs of one fresh group and waits until every one sees all the others. */
async function openTabs(context: BrowserContext, count: number, options: { stall?: number[] } = {}): Promise<Page[]> {
  const name = `e2e-group-${test.info().workerIndex}-${++groups}-${Date.now()}`;
  const pages: Page[] = [];
  for (let i = 0; i < count; i++) {
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(`tab ${i}: ${error.stack ?? error.message}`));
    if (options.stall?.includes(i)) {
      // The tab's timers never run, like a background tab's at their most throttled (or worse).
      await page.addInitScript(() => {
        const never = (() => 0) as unknown as typeof setTimeout;
        window.setTimeout = never;
        window.setInterval = never as unknown as typeof setInterval;
      });
    }
    await page.goto(`/e2e/pages/group.html?name=${name}&hb=${HEARTBEAT}`);
    await expect.poll(() => page.evaluate(() => typeof window.tab)).toBe('object');
    pages.push(page);
  }
  for (const page of pages) await expect.poll(() => page.evaluate(() => window.tab.peers().length)).toBe(count - 1);
  return pages;
}

const idOf = (page: Page) => page.evaluate(() => window.tab.id());

test('three tabs: presence, notify to all but the sender, a call to one, a stream from one, leave events', async ({ context }) => {
  const [a, b, c] = await openTabs(context, 3);
  const [ida, idb, idc] = (await Promise.all([a!, b!, c!].map(idOf))) as [string, string, string];
  expect(new Set([ida, idb, idc]).size).toBe(3);
  expect((await a!.evaluate(() => window.tab.peers())).sort()).toEqual([idb, idc].sort());

  await a!.evaluate(() => window.tab.notifyAll('hello all'));
  for (const page of [b!, c!]) await expect.poll(() => page.evaluate(() => window.tab.notes())).toEqual([[ida, 'hello all']]);
  await a!.waitForTimeout(50);
  expect(await a!.evaluate(() => window.tab.notes()), 'the sender never hears its own notify').toEqual([]);

  expect(await a!.evaluate((id) => window.tab.call(id, 'add', [2, 3]), idb)).toBe(5);
  expect(await a!.evaluate((id) => window.tab.call(id, 'caller', []), idb), 'context().caller').toBe(ida);
  const streamed = await a!.evaluate((id) => window.tab.stream(id, 1000), idc);
  expect(streamed).toEqual(Array.from({ length: 1000 }, (_, i) => i));

  const closed = Date.now();
  await c!.close();
  for (const page of [a!, b!]) {
    await expect.poll(() => page.evaluate(() => window.tab.events())).toContain(`leave ${idc} left`);
    expect(await page.evaluate(() => window.tab.peers())).toHaveLength(1);
  }
  const leftAt = await Promise.all([a!, b!].map((page) => page.evaluate((id) => window.tab.leftAt(id)!, idc)));
  measured(`a tab closed (page.close()) → 'leave' in the others ${leftAt.map((t) => t - closed).join(' and ')} ms after page.close() was called (its bye on pagehide)`);
  for (const t of leftAt) expect(t - closed).toBeLessThan(1000);
  expect(await a!.evaluate(() => window.tab.events())).toEqual(expect.arrayContaining([`join ${idb}`, `join ${idc}`, `leave ${idc} left`]));
});

test('callAll with one tab closed mid-call: that entry rejects with PeerClosedError at once, the others answer', async ({ context }) => {
  const [a, b, c] = await openTabs(context, 3);
  const [idb, idc] = (await Promise.all([b!, c!].map(idOf))) as [string, string];
  await a!.evaluate(() => window.tab.startCallAll('later', ['answered', 1500], 20_000));
  await a!.evaluate((id) => window.tab.watch(id), idb);
  await a!.waitForTimeout(100);
  const closed = Date.now();
  await b!.close();
  await expect.poll(() => a!.evaluate((id) => window.tab.watched()[id], idb)).toBeTruthy();
  const watched = (await a!.evaluate((id) => window.tab.watched()[id], idb))!;
  expect(watched.error.name).toBe('PeerClosedError');
  const answers = await a!.evaluate(() => window.tab.callAllResult());
  const byId = Object.fromEntries(answers.map((answer) => [answer.id, answer]));
  expect(byId[idb]).toMatchObject({ status: 'rejected', error: { name: 'PeerClosedError' } });
  expect(byId[idc]).toMatchObject({ status: 'fulfilled', value: 'answered' });
  expect(answers).toHaveLength(2);
  measured(`callAll: a member closed mid-call → its calls reject ${watched.at - closed} ms after page.close() (timeout was 20 s)`);
  expect(watched.at - closed).toBeLessThan(2000);
});

test('leader: exactly one; when its tab closes another takes over and every remaining tab agrees', async ({ context }) => {
  const pages = await openTabs(context, 3);
  const ids = await Promise.all(pages.map(idOf));
  await expect.poll(() => Promise.all(pages.map((p) => p.evaluate(() => window.tab.leader())))).toEqual(expect.arrayContaining([expect.any(String)]));
  await expect.poll(async () => new Set(await Promise.all(pages.map((p) => p.evaluate(() => window.tab.leader())))).size).toBe(1);
  const leaderId = (await pages[0]!.evaluate(() => window.tab.leader()))!;
  expect(ids).toContain(leaderId);
  const flags = await Promise.all(pages.map((p) => p.evaluate(() => window.tab.isLeader())));
  expect(flags.filter(Boolean)).toHaveLength(1);
  const leaderPage = pages[ids.indexOf(leaderId)]!;
  expect(await leaderPage.evaluate(() => window.tab.whenLeader())).toBe(leaderId);

  const rest = pages.filter((p) => p !== leaderPage);
  const closed = Date.now();
  await leaderPage.close();
  await expect
    .poll(async () => {
      const leaders = await Promise.all(rest.map((p) => p.evaluate(() => window.tab.leader())));
      return leaders[0] !== undefined && leaders[0] !== leaderId && leaders[0] === leaders[1];
    })
    .toBe(true);
  measured(`leader tab closed → the others agree on a new leader within ${Date.now() - closed} ms`);
  const next = (await rest[0]!.evaluate(() => window.tab.leader()))!;
  const restFlags = await Promise.all(rest.map((p) => p.evaluate(() => window.tab.isLeader())));
  expect(restFlags.filter(Boolean)).toHaveLength(1);
  for (const page of rest) expect(await page.evaluate(() => window.tab.events())).toContain(`leader ${next}`);
});

test(`a tab whose timers never run is not dropped (heartbeat ${HEARTBEAT} ms); a crashed tab is`, async ({ context }) => {
  test.setTimeout(60_000);
  const [a, b, stalled, doomed] = await openTabs(context, 4, { stall: [2] });
  const [idStalled, idDoomed] = (await Promise.all([stalled!, doomed!].map(idOf))) as [string, string];
  expect(await stalled!.evaluate(() => window.setTimeout(() => {}, 0)), 'its timers really are stalled').toBe(0);

  await a!.waitForTimeout(15 * HEARTBEAT);
  for (const page of [a!, b!]) {
    expect(await page.evaluate(() => window.tab.peers())).toContain(idStalled);
    expect((await page.evaluate(() => window.tab.events())).filter((e) => e.startsWith('leave'))).toEqual([]);
  }
  expect(await a!.evaluate((id) => window.tab.call(id, 'add', [20, 22]), idStalled)).toBe(42);
  expect((await stalled!.evaluate(() => window.tab.peers())).length).toBe(3);

  const cdp = await context.newCDPSession(doomed!);
  const crashed = Date.now();
  void cdp.send('Page.crash').catch(() => {});
  await doomed!.waitForEvent('crash');
  for (const page of [a!, b!, stalled!]) {
    await expect.poll(() => page.evaluate(() => window.tab.events()), { timeout: 10_000 }).toContain(`leave ${idDoomed} silent`);
  }
  const droppedAt = await Promise.all([a!, b!, stalled!].map((page) => page.evaluate((id) => window.tab.leftAt(id)!, idDoomed)));
  measured(`crashed tab (CDP Page.crash) dropped as silent ${droppedAt.map((t) => t - crashed).join(', ')} ms after the crash was requested (heartbeat ${HEARTBEAT} ms; the stalled tab too, checking from its message handler)`);
  expect(await a!.evaluate(() => window.tab.peers())).not.toContain(idDoomed);
  expect(await a!.evaluate((id) => window.tab.call(id, 'add', [1, 1]), idStalled), 'the stalled tab still answers').toBe(2);
});

test('a frozen leader (paused in the debugger) keeps its lock: the others drop it, one steals the lead, and the old leader, thawed, learns it lost', async ({ context }) => {
  test.setTimeout(60_000);
  const pages = await openTabs(context, 3);
  await expect.poll(async () => new Set(await Promise.all(pages.map((p) => p.evaluate(() => window.tab.leader() ?? 'none')))).size).toBe(1);
  const leaderId = (await pages[0]!.evaluate(() => window.tab.leader()))!;
  const ids = await Promise.all(pages.map(idOf));
  const frozen = pages[ids.indexOf(leaderId)]!;
  const [taker, other] = pages.filter((p) => p !== frozen);

  // Paused at its next statement (the next message it would handle): it runs nothing at all,
  // like a frozen tab, and keeps its Web Lock. (CDP's lifecycle freeze refuses visible pages.)
  const cdp = await context.newCDPSession(frozen);
  await cdp.send('Debugger.enable');
  await cdp.send('Debugger.pause');
  for (const page of [taker!, other!]) {
    await expect.poll(() => page.evaluate(() => window.tab.events()), { timeout: 10_000 }).toContain(`leave ${leaderId} silent`);
  }
  // The frozen tab still holds the lock: nobody else leads on their own.
  await taker!.waitForTimeout(5 * HEARTBEAT);
  expect(await Promise.all([taker!, other!].map((p) => p.evaluate(() => window.tab.isLeader())))).toEqual([false, false]);
  expect(await taker!.evaluate(() => window.tab.leader())).toBeUndefined();

  const takerId = await taker!.evaluate(() => window.tab.id());
  expect(await taker!.evaluate(() => window.tab.stealLead())).toBe(takerId);
  expect(await taker!.evaluate(() => window.tab.isLeader())).toBe(true);
  await expect.poll(() => other!.evaluate(() => window.tab.leader())).toBe(takerId);

  await cdp.send('Debugger.resume');
  await cdp.send('Debugger.disable');
  await expect.poll(() => frozen.evaluate(() => window.tab.isLeader()), { timeout: 10_000 }).toBe(false);
  await expect.poll(() => frozen.evaluate(() => window.tab.leader()), { timeout: 10_000 }).toBe(takerId);
  const newId = await frozen.evaluate(() => window.tab.id());
  expect(newId, 'it joined again under a new id').not.toBe(leaderId);
  for (const page of [taker!, other!]) await expect.poll(() => page.evaluate(() => window.tab.peers())).toContain(newId);
});

import { expect, test, type BrowserContext, type Page } from '@playwright/test';

// A SharedWorker serving its tabs as a group (exposeShared, e2e/pages/sharedGroup.shared.ts):
// tabs connect with a plain connect(port). Uncaught errors in the tabs, or in the worker (read
// back through its `escaped()` method), fail the test.

// 500 ms: a tab still booting on a loaded CI machine can miss 200 ms beats for 600 ms and be
// dropped before the test starts (CI saw it once, in openTabs); a crash is still told by the beat.
const HEARTBEAT = 500;
let errors: string[] = [];
let workers = 0;

test.beforeEach(() => {
  errors = [];
});
test.afterEach(() => {
  expect(errors, 'uncaught errors in the tabs').toEqual([]);
});

function measured(text: string): void {
  console.log(`[sharedGroup] ${text}`);
  test.info().annotations.push({ type: 'measured', description: text });
}

/** Opens `titles.length` tabs on one fresh SharedWorker; each tab's document title is its name. */
async function openTabs(context: BrowserContext, titles: string[]): Promise<Page[]> {
  const name = `e2e-shared-group-${test.info().workerIndex}-${++workers}-${Date.now()}`;
  const pages: Page[] = [];
  for (const title of titles) {
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(`${title}: ${error.stack ?? error.message}`));
    await page.goto(`/e2e/pages/sharedGroup.html?name=${name}&hb=${HEARTBEAT}`);
    await expect.poll(() => page.evaluate(() => typeof window.notes)).toBe('function');
    await page.evaluate((t) => (document.title = t), title);
    pages.push(page);
  }
  await expect.poll(() => pages[0]!.evaluate(() => window.shared.peers().then((p) => p.length))).toBe(titles.length);
  return pages;
}

test('two tabs as one group: ids, call back through context().remote, notify all, callAll; no leader here', async ({ context }) => {
  const [a, b] = await openTabs(context, ['tab A', 'tab B']);
  const ida = (await a!.evaluate(() => window.shared.whoami()))!;
  const idb = (await b!.evaluate(() => window.shared.whoami()))!;
  expect(ida).not.toBe(idb);
  expect((await a!.evaluate(() => window.shared.peers())).sort()).toEqual([ida, idb].sort());
  expect(await a!.evaluate(() => window.shared.greetBack())).toBe(`${ida} is tab A`);
  expect(await b!.evaluate(() => window.shared.greetBack())).toBe(`${idb} is tab B`);

  await a!.evaluate(() => window.shared.notifyAll('to everyone'));
  for (const page of [a!, b!]) await expect.poll(() => page.evaluate(() => window.notes())).toEqual(['to everyone']);

  const answers = await b!.evaluate(() => window.shared.askAll());
  expect(answers.sort((x, y) => x.value.localeCompare(y.value))).toEqual([
    { id: ida, status: 'fulfilled', value: 'tab A' },
    { id: idb, status: 'fulfilled', value: 'tab B' },
  ]);
  expect(await a!.evaluate(() => window.shared.exposeError())).toContain('exposeShared');
  expect(await a!.evaluate(() => window.shared.leaderError())).toBe('NO_LEADER');
  expect(await a!.evaluate(() => window.shared.escaped())).toEqual([]);
});

test('a tab that closes leaves within milliseconds, mid-callAll: its entry rejects, the other answers', async ({ context }) => {
  const [a, b] = await openTabs(context, ['tab A', 'tab B']);
  const idb = (await b!.evaluate(() => window.shared.whoami()))!;
  await a!.evaluate(() => window.shared.startSlowAll(1500));
  await a!.waitForTimeout(100);
  const closed = Date.now();
  await b!.close();
  await expect.poll(() => a!.evaluate(() => window.shared.events())).toContain(`leave ${idb} left`);
  const leftAt = (await a!.evaluate((id) => window.shared.leftAt(id), idb))!;
  measured(`SharedWorker group: a tab closed (page.close()) → 'leave' in the worker ${leftAt - closed} ms after page.close() was called`);
  expect(leftAt - closed).toBeLessThan(1000);
  const result = (await a!.evaluate(() => window.shared.askAllResult())) as { ms: number; answers: Array<{ id: string; status: string }> };
  expect(result.answers).toHaveLength(2);
  expect(result.answers.find((x) => x.id === idb)).toMatchObject({ status: 'rejected', error: 'PeerClosedError' });
  expect(result.answers.find((x) => x.id !== idb)).toMatchObject({ status: 'fulfilled', value: 'done' });
  expect(result.ms).toBeLessThan(10_000);
  expect(await a!.evaluate(() => window.shared.peers())).toHaveLength(1);
  expect(await a!.evaluate(() => window.shared.escaped())).toEqual([]);
});

test(`a tab that crashes leaves within the heartbeat (${HEARTBEAT} ms × 3)`, async ({ context }) => {
  const [a, b] = await openTabs(context, ['tab A', 'tab B']);
  const idb = (await b!.evaluate(() => window.shared.whoami()))!;
  const cdp = await context.newCDPSession(b!);
  const crashed = Date.now();
  void cdp.send('Page.crash').catch(() => {});
  await b!.waitForEvent('crash');
  await expect.poll(() => a!.evaluate(() => window.shared.events()), { timeout: 10_000 }).toContainEqual(expect.stringMatching(`^leave ${idb} (silent|left)$`));
  const events = await a!.evaluate(() => window.shared.events());
  const leftAt = (await a!.evaluate((id) => window.shared.leftAt(id), idb))!;
  measured(`SharedWorker group: a crashed tab left as "${events.at(-1)}" ${leftAt - crashed} ms after the crash was requested (heartbeat ${HEARTBEAT} ms)`);
  expect(await a!.evaluate(() => window.shared.peers())).toHaveLength(1);
  expect(await a!.evaluate(() => window.shared.escaped())).toEqual([]);
});

import { expect, test, type Page } from '@playwright/test';

// windowEndpoint in headless Chromium, over real windows: the top page on http://localhost:<port>
// and its iframes and popups on http://127.0.0.1:<port> (the same Vite server reached under a
// second origin, so every child is cross-origin and, with site isolation, in another process).
// Scenarios run in e2e/pages/windows.ts (and window.child.ts) and return plain data; the
// assertions are here. Times are reported, never asserted beyond "well before any timeout".

const CHILD_ORIGIN = (baseURL: string) => new URL(baseURL).origin.replace('localhost', '127.0.0.1');

function measured(text: string): void {
  console.log(`[windows] ${text}`);
  test.info().annotations.push({ type: 'measured', description: text });
}

/** Opens the top page; returns what escapes in it or in any of its frames (uncaught errors). */
async function open(page: Page) {
  const escaped: string[] = [];
  page.on('pageerror', (error) => escaped.push(`pageerror: ${error.stack ?? error.message}`));
  await page.goto('/e2e/pages/windows.html');
  await page.waitForFunction(() => typeof window.wt === 'object');
  return escaped;
}

const rejectedWith = (name: string, message?: string | RegExp) =>
  expect.objectContaining({ settled: 'rejected', name, ...(message ? { message: expect.stringMatching(message) } : {}) });

/** What every working connection does, both ways (see `exercise` in windows.ts). */
function expectWorking(r: Record<string, unknown>, name: string) {
  expect(r).toMatchObject({
    whoami: `${name}:`,
    add: 5,
    notesThere: [0, 1, 2, 3, 4],
    notesHere: [`${name}::0`, `${name}::1`, `${name}::2`],
    callBack: `${name}::top:4`,
    download: { length: 1000, inOrder: true },
    upload: (299 * 300) / 2,
    readBack: 500,
    uploadBack: (299 * 300) / 2,
    transferOut: [1024, 0],
    transferIn: [2048, 7],
    transferBack: [4096, 0],
  });
}

let escaped: string[] = [];
test.beforeEach(async ({ page }) => {
  escaped = await open(page);
});
test.afterEach(async ({ page }) => {
  const inPage = await page.evaluate(() => window.wt.escaped).catch(() => []);
  expect([...escaped, ...inPage], 'uncaught errors in the page or its frames').toEqual([]);
});

test.describe('iframe on another origin', () => {
  test('an allowed origin: calls, notifications, streams and transfers both ways, all over the private port', async ({ page }) => {
    const r = await page.evaluate(() => window.wt.basics());
    expectWorking(r, 'A');
    // Nothing portwire sends after the handshake passes through either window's 'message' event.
    expect([r.spiedWire, r.childSpied]).toEqual([0, 0]);
    expect(r.childClosed, "the child saw this side's close (its goodbye left before the port closed)").toBe('closed');
    expect(r.childEscaped).toEqual([]);
  });

  test('a disallowed origin reaches no handler, whatever it sends; onIgnored sees it', async ({ page }) => {
    const r = await page.evaluate(() => window.wt.disallowed());
    expect(r.handled, 'handlers run on this side').toBe(0);
    expect(r.notes).toEqual([]);
    expect(r.ignored).toEqual(['origin']);
    expect(r.childCall).toEqual(rejectedWith('TimeoutError', /no handshake arrived/));
    expect(r.topCall).toEqual(rejectedWith('TimeoutError', /no handshake arrived from the window at http:\/\/127\.0\.0\.1:\d+/));
  });

  test('a second iframe of the same origin cannot answer for the first', async ({ page }) => {
    const r = await page.evaluate(() => window.wt.sibling());
    expect(r.whoami, 'answered by the target iframe').toBe('A:');
    expect(r.add).toBe(2);
    expect(r.topNotes, "B's forged notification").toEqual([]);
    expect(r.bCall).toEqual(rejectedWith('TimeoutError'));
    expect(r.bHandled, "nothing came through B's forged ports").toBe(0);
    expect(r.ignored).toContain('source');
  });

  test('junk both ways (random, malformed, foreign, forged handshakes) before, during and after the handshake harms nothing', async ({ page }) => {
    const r = await page.evaluate(() => window.wt.junk());
    expect(r.count).toBeGreaterThan(300);
    expect(r.first).toBe(42);
    expect(r.second).toBe('A:');
    expect(r.closed).toBe(false);
    expect(r.topHandled, 'no junk ran a handler here').toBe(0);
    expect(r.childHandled, 'only the two real calls ran there').toBe(2);
    // This window's own forgeries come from this page's origin, which is not allowed: 'origin'
    // (forgeries from an allowed origin's other window are the 'source' of the sibling test).
    expect(r.ignored).toEqual(expect.arrayContaining(['malformed', 'origin', 'stale', 'channel', 'version']));
    expect(r.childIgnored).toEqual(expect.arrayContaining(['malformed', 'stale', 'channel', 'version']));
    expect(r.childEscaped).toEqual([]);
  });

  for (const how of ['reload', 'src', 'navigate', 'remove'] as const) {
    const what = { reload: 'reloads itself', src: 'is pointed elsewhere by the parent', navigate: 'navigates to a page without portwire', remove: 'is removed' }[how];
    test(`an iframe that ${what} mid-call rejects the call, the download and the upload with PeerClosedError${how === 'reload' || how === 'src' ? '; a new endpoint after load works' : ''}`, async ({ page }) => {
      const r = await page.evaluate((h) => window.wt.leaveMidCall(h), how);
      for (const outcome of Object.values(r.outcomes as Record<string, unknown>)) expect(outcome).toEqual(rejectedWith('PeerClosedError'));
      expect(r.closed).toBe(true);
      expect(r.ms as number, 'prompt, not a timeout').toBeLessThan(3000);
      measured(`iframe ${how} → PeerClosedError: ${(r.ms as number).toFixed(0)} ms (${(r.outcomes as { call: { message: string } }).call.message})`);
      if (how === 'reload') expect(r.again).toBe('A:');
      if (how === 'src') expect(r.again).toBe('A2:');
      if (how === 'reload' || how === 'src') expect(r.againStream).toEqual({ length: 100, inOrder: true });
    });
  }

  test('a handshake that cannot complete says with whom, and why when it can tell', async ({ page, baseURL }) => {
    const child = CHILD_ORIGIN(baseURL!);
    const r = await page.evaluate(() => window.wt.handshakeFailures());
    // The child greeted before this side existed, and this side's hellos go to an origin the
    // child does not have, so nothing ever arrives: the message names the origin written.
    expect(r.wrongTarget).toEqual(rejectedWith('TimeoutError'));
    expect(r.wrongTarget.message).toBe(
      `portwire: call to "add" timed out after 400 ms: no handshake arrived from the window at http://localhost:5999 (is portwire listening there?)`,
    );
    // A child that greets later is heard, refused, and named.
    expect(r.wrongTargetLate.message).toBe(
      `portwire: call to "add" timed out after 400 ms: no handshake arrived from the window at http://localhost:5999 (a handshake from ${child} was ignored: not in allowedOrigins) (is portwire listening there?)`,
    );
    expect(r.notAllowed.message).toBe(
      `portwire: call to "add" timed out after 400 ms: no handshake arrived from the window at ${child} (a handshake from ${child} was ignored: not in allowedOrigins) (is portwire listening there?)`,
    );
    expect(r.noPortwire.message).toBe(`portwire: call to "add" timed out after 400 ms: no handshake arrived from the window at ${child} (is portwire listening there?)`);
    expect([r.noWindow, r.badOrigin, r.starAllowed]).toEqual(['BAD_ENDPOINT', 'BAD_ORIGIN', 'BAD_ORIGIN']);
    expect(r.normalized).toBe('A:n');
  });

  test('either side first, or both at once (20 times), and named channels started crosswise, always pair up', async ({ page }) => {
    const r = await page.evaluate(() => window.wt.orders());
    expect(r.childFirst).toBe('C:first');
    expect(r.topFirst).toBe('C:second');
    expect(r.together).toEqual(Array.from({ length: 20 }, (_, i) => `C:t${i}`));
    expect(r.crosswise).toEqual(['C:x', 'C:y']);
    expect(r.anyClosed).toBe(false);
    // With random ids each side is the lower one about half the time: both tie-break outcomes ran.
    expect(r.topMadeChannel as number).toBeGreaterThan(0);
    expect(r.childMadeChannel as number).toBeGreaterThan(0);
    expect((r.topMadeChannel as number) + (r.childMadeChannel as number)).toBe(20);
    measured(`both at once, 20 rounds: this side made the channel ${r.topMadeChannel} times, the child ${r.childMadeChannel}`);
  });

  test('another protocol version on either side is told apart from silence: PeerClosedError naming both, at once', async ({ page }) => {
    const r = await page.evaluate(() => window.wt.versionMismatch());
    const both = /"portwire:999", this side "portwire:2"/;
    expect(r.a.pending).toEqual(rejectedWith('PeerClosedError', both));
    expect(r.a.pending.code).toBe('PEER_CLOSED');
    expect(r.a.pending.ms as number).toBeLessThan(3000);
    expect(r.a.later).toEqual(rejectedWith('PeerClosedError'));
    expect(r.a.ignored).toEqual(['version']);
    // The child answered the other version's hello with its own, so that side can tell too.
    expect(r.b.hellos).toEqual(['portwire:2', 'portwire:2']);
    expect(r.b.childClosed).toMatch(/"portwire:0", this side "portwire:2"/);
  });

  test('a new hello from the connected window (a new document there) closes the peer at once, even without a goodbye', async ({ page, baseURL }) => {
    const r = await page.evaluate(() => window.wt.replaced());
    expect(r.pending).toEqual(rejectedWith('PeerClosedError', `portwire: the window at ${CHILD_ORIGIN(baseURL!)} loaded a new document`));
    expect(r.closed).toBe(true);
  });

  test('a sandboxed iframe (opaque origin) is refused without the opt-in and works with it', async ({ page, baseURL }) => {
    // A sandboxed document fetches its module scripts with `Origin: null`, which the dev server's
    // CORS policy (localhost origins only) does not answer; this test alone adds the header.
    await page.route(`${CHILD_ORIGIN(baseURL!)}/**`, async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), 'access-control-allow-origin': '*' } });
    });
    const r = await page.evaluate(() => window.wt.opaque());
    expect([r.targetNull, r.allowedNull, r.optInNoStar]).toEqual(['OPAQUE_ORIGIN', 'OPAQUE_ORIGIN', 'OPAQUE_ORIGIN']);
    expect(r.childOrigin).toBe('null');
    expect(r.childDefault, "the sandboxed side's default targetOrigin is its own \"null\"").toBe('OPAQUE_ORIGIN');
    expect(r.refused).toEqual(rejectedWith('PeerClosedError', /opaque origin .*allowOpaqueOrigin: true/));
    expect(r.refusedHandled).toBe(0);
    expect(r.refusedIgnored).toEqual(['origin']);
    expectWorking(r.optIn as Record<string, unknown>, 'S');
  });
});

test.describe('popup on another origin', () => {
  test('opener ↔ popup: calls, notifications, downloads and uploads both ways, transfers', async ({ page }) => {
    const popupOpened = page.context().waitForEvent('page');
    expect(await page.evaluate(() => window.wt.openPopup())).toBe('P:');
    const popup = await popupOpened;
    const popupErrors: string[] = [];
    popup.on('pageerror', (error) => popupErrors.push(error.message));
    expectWorking(await page.evaluate(() => window.wt.popupTraffic()), 'P');
    expect(popupErrors).toEqual([]);
  });

  for (const how of ['by the opener', 'by itself', 'by the user'] as const) {
    test(`a popup closed ${how} mid-stream rejects the call, the download and the upload with PeerClosedError`, async ({ page }) => {
      const popupOpened = page.context().waitForEvent('page');
      expect(await page.evaluate(() => window.wt.openPopup())).toBe('P:');
      const popup = await popupOpened;
      await page.evaluate(() => window.wt.popupInFlight());
      if (how === 'by itself') await page.evaluate(() => void window.wt.popupPeer!.remote.leave('close'));
      if (how === 'by the user') await popup.close();
      const r = await page.evaluate((here) => window.wt.popupOutcomes(here), how === 'by the opener');
      for (const outcome of Object.values(r.outcomes)) expect(outcome).toEqual(rejectedWith('PeerClosedError'));
      expect(r.closed).toBe(true);
      expect(r.ms).toBeLessThan(3000);
      measured(`popup closed ${how} → PeerClosedError: ${r.ms.toFixed(0)} ms (${r.outcomes.call!.message})`);
    });
  }
});

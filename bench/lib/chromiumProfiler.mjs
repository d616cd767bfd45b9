import { mkdirSync, writeFileSync } from 'node:fs';
import { resultsDir } from './paths.mjs';

// CPU profiles of the bench page and of each contender's Worker, through CDP. Playwright gives a
// CDP session for pages only, so workers are reached from the browser session with
// Target.attachToTarget (non-flat) and Target.sendMessageToTarget.

async function workerSessions(browser, count) {
  const cdp = await browser.newBrowserCDPSession();
  let workers = [];
  for (let i = 0; i < 200 && workers.length < count; i++) {
    workers = (await cdp.send('Target.getTargets')).targetInfos.filter((t) => t.type === 'worker' && t.url);
    if (workers.length < count) await new Promise((r) => setTimeout(r, 50));
  }
  let nextId = 1;
  const waiting = new Map();
  cdp.on('Target.receivedMessageFromTarget', ({ message }) => {
    const reply = JSON.parse(message);
    waiting.get(reply.id)?.(reply.result);
    waiting.delete(reply.id);
  });
  const sessions = [];
  for (const worker of workers) {
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: worker.targetId, flatten: false });
    const send = (method, params = {}) =>
      new Promise((resolve) => {
        const id = nextId++;
        waiting.set(id, resolve);
        void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
      });
    sessions.push({ name: /[?&]c=(\w+)/.exec(worker.url)?.[1] ?? worker.targetId, send });
  }
  return sessions;
}

const start = async (send) => {
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: 200 });
  await send('Profiler.start');
};

/** Starts profiling the page and, once they exist, its `workerCount` workers; returns `stop()`. */
export async function profileChromium(browser, page, workerCount) {
  const pageCdp = await page.context().newCDPSession(page);
  await start((m, p) => pageCdp.send(m, p));
  const workers = await workerSessions(browser, workerCount);
  for (const w of workers) await start(w.send);
  return async () => {
    const dir = `${resultsDir}profiles/`;
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}chromium-page.cpuprofile`, JSON.stringify((await pageCdp.send('Profiler.stop')).profile));
    for (const w of workers) writeFileSync(`${dir}chromium-worker-${w.name}.cpuprofile`, JSON.stringify((await w.send('Profiler.stop')).profile));
  };
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { build } from 'vite';
import { chromiumLaunchOptions } from '../../bench/lib/chromium.mjs';
import { serve } from '../../bench/lib/serve.mjs';

// A tiny app: the page calls a module worker through the installed 'portwire'.
const workerFile = `import { expose } from 'portwire';

const api = {
  add: (a: number, b: number) => a + b,
  async *count(to: number) {
    for (let i = 0; i < to; i++) yield i;
  },
  never: () => new Promise<never>(() => {}),
};
export type Api = typeof api;

expose(api);
`;
const pageFile = `import { connect } from 'portwire';
import type { Api } from './w.ts';

// A short timeout, so a worker that fails to load shows up as failed calls, not a hang.
const remote = connect<Api>(new Worker(new URL('./w.ts', import.meta.url), { type: 'module' }), { timeout: 5000 });

const rejection = (call: Promise<unknown>) =>
  call.then(
    (value) => ({ resolved: value }),
    (error) => ({ name: error?.name, code: error?.code }),
  );

async function run() {
  const sum = await remote.add(2, 3);
  const counted: number[] = [];
  for await (const n of remote.count(3)) counted.push(n);
  const missing = await rejection(remote.$call('missing' as never, [] as never));
  const timeout = await rejection(remote.$call('never', [], { timeout: 50 }));
  return { sum, counted, missing, timeout };
}

run().then(
  (results) => Object.assign(window, { results }),
  (error) => Object.assign(window, { results: { fatal: String(error?.stack ?? error) } }),
);
`;
const htmlFile = `<!doctype html>
<meta charset="utf-8" />
<title>portwire package test</title>
<script type="module" src="./main.ts"></script>
`;

/** Step 4: a minified Vite build with a module worker gets right answers and errors in Chromium. */
export async function checkBrowser(project, report) {
  const appDir = join(project.dir, 'web');
  mkdirSync(appDir);
  writeFileSync(join(appDir, 'w.ts'), workerFile);
  writeFileSync(join(appDir, 'main.ts'), pageFile);
  writeFileSync(join(appDir, 'index.html'), htmlFile);
  const outDir = join(project.dir, 'web-dist');
  await build({
    configFile: false,
    root: appDir,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, minify: true, target: 'es2022' },
    worker: { format: 'es' },
  });
  report.pass('vite build (minified) of a page + module worker importing portwire');

  const server = await serve(outDir);
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const page = await browser.newPage();
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.stack ?? String(error)));
    await page.goto(`${server.url}index.html`);
    const results = await page.waitForFunction(() => window.results, null, { timeout: 10_000 }).then((handle) => handle.jsonValue());
    if (results.fatal) report.fail('browser page ran its calls', results.fatal);

    const same = (got, want) => JSON.stringify(got) === JSON.stringify(want);
    const show = (got, want) => `want ${JSON.stringify(want)}\ngot  ${JSON.stringify(got)}`;
    const expect = (name, got, want) => report.check(`browser: ${name}`, same(got, want), show(got, want));
    expect('call add(2, 3) answers 5', results.sum, 5);
    expect('for await over a worker async generator yields 0, 1, 2', results.counted, [0, 1, 2]);
    expect("missing method rejects with name 'MethodNotFoundError', code 'METHOD_NOT_FOUND'", results.missing, {
      name: 'MethodNotFoundError',
      code: 'METHOD_NOT_FOUND',
    });
    expect("{ timeout: 50 } on a method that never answers rejects with name 'TimeoutError'", results.timeout?.name, 'TimeoutError');
    report.check('browser: no pageerror', pageErrors.length === 0, pageErrors.join('\n'));
  } finally {
    await browser.close();
    server.close();
  }
}

// The demo app in electron/ (it cannot start here: no Electron binary; e2e/electron.spec.ts runs
// it where one exists): its TypeScript checks against electron.d.ts, and its Vite build gives
// Electron what it loads — an ESM main and job, a preload that requires only 'electron', a page.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../electron/build.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('the Electron demo app', () => {
  // Errors in the app's own files count; src/ is the root typecheck's (npm run typecheck).
  it('type-checks (electron/tsconfig.json, against the electron package’s types)', () => {
    const tsc = join(root, 'node_modules/.bin/tsc');
    let output = '';
    try {
      execFileSync(tsc, ['-p', 'electron/tsconfig.json', '--noEmit', '--pretty', 'false'], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output.split('\n').filter((line) => /^electron\//.test(line))).toEqual([]);
    expect(output === '' || /error TS\d+/.test(output)).toBe(true);
  }, 60_000);

  it('builds with Vite: ESM main and job, a self-contained CommonJS preload, the page', async () => {
    const out = await buildApp();
    expect(JSON.parse(readFileSync(join(out, 'package.json'), 'utf8'))).toMatchObject({ type: 'module', main: 'main.js' });
    for (const file of ['main.js', 'job.js', 'preload.cjs', 'renderer/index.html']) expect(existsSync(join(out, file))).toBe(true);
    const preload = readFileSync(join(out, 'preload.cjs'), 'utf8');
    expect([...preload.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(preload).not.toMatch(/^import /m);
    const imports = (file: string) => [...readFileSync(join(out, file), 'utf8').matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]!);
    for (const file of ['main.js', 'job.js']) {
      for (const specifier of imports(file)) expect(specifier).toMatch(/^(electron|node:.+|\.\/.+\.js)$/);
    }
    expect(imports('job.js')).not.toContain('electron');
    const html = readFileSync(join(out, 'renderer/index.html'), 'utf8');
    expect(html).toMatch(/src="\.\/assets\/[^"]+\.js"/); // relative: the page works from any base
  }, 60_000);
});

// The preload as shipped: one CommonJS file Node and Electron find by the package's own exports,
// that requires nothing but 'electron', and that exposes the bridge when loaded as a sandboxed
// preload (a vm context with only what a sandboxed preload has). Needs `npm run build` first (npm
// test runs it before the unit suites); without dist/ these tests are reported as skipped.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONNECT } from '../../src/electron/handover';

const root = fileURLToPath(new URL('../../', import.meta.url));
const shipped = join(root, 'dist/electron/preload.cjs');
const built = existsSync(shipped) && existsSync(join(root, 'dist/electron/preload.d.cts'));
const needsBuild = 'needs `npm run build` (dist/electron/preload.cjs)';

/** Runs CommonJS `code` as Electron runs a sandboxed preload: `require` gives only 'electron'. */
function runAsPreload(code: string) {
  const exposed: Array<[string, any]> = [];
  const sent: unknown[][] = [];
  const required: string[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void exposed.push([key, api]) },
    ipcRenderer: { on() {}, off() {}, send: (...args: unknown[]) => void sent.push(args) },
  };
  const module = { exports: {} as Record<string, unknown> };
  const sandbox = {
    module,
    exports: module.exports,
    require: (id: string) => {
      required.push(id);
      if (id === 'electron') return electron;
      throw new Error(`a sandboxed preload cannot require ${id}`);
    },
    process: { type: 'renderer', sandboxed: true, contextIsolated: true },
    queueMicrotask,
    setTimeout,
    clearTimeout,
    postMessage() {},
  };
  runInNewContext(code, sandbox, { filename: 'preload.cjs' });
  return { exposed, sent, required, exports: module.exports };
}

describe.skipIf(!built)(`the shipped preload (${built ? 'dist/electron/preload.cjs' : needsBuild})`, () => {
  it('require.resolve and import.meta.resolve both find the one .cjs file through package.json exports', () => {
    expect(createRequire(join(root, 'package.json')).resolve('portwire/electron/preload')).toBe(shipped);
    const viaNode = (code: string, type: 'commonjs' | 'module') =>
      execFileSync(process.execPath, [`--input-type=${type}`, '-e', code], { cwd: root, encoding: 'utf8' }).trim();
    expect(viaNode("console.log(require.resolve('portwire/electron/preload'))", 'commonjs')).toBe(shipped);
    expect(viaNode("console.log(import.meta.resolve('portwire/electron/preload'))", 'module')).toBe(new URL(`file://${shipped}`).href);
  });

  it('requires nothing but electron, and loaded as a sandboxed preload exposes the bridge at once', () => {
    const code = readFileSync(shipped, 'utf8');
    expect([...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1])).toEqual(['electron', 'electron']);
    const run = runAsPreload(code);
    expect(run.required).toEqual(['electron']);
    expect(run.exposed.map(([key]) => key)).toEqual(['portwire']);
    expect(Object.keys(run.exposed[0]![1])).toEqual(['connect']);
    run.exposed[0]![1].connect('chat');
    expect(run.sent).toEqual([[CONNECT, { channel: 'chat' }]]);
    for (const name of ['exposePortwire', 'preloadEndpoint', 'connect', 'createPeer', 'PortwireError']) expect(typeof run.exports[name]).toBe('function');
  });

  it("every Electron entry loads in plain Node: none imports 'electron' when it loads", () => {
    const script = `
      const main = await import('portwire/electron/main');
      const renderer = await import('portwire/electron/renderer');
      const utility = await import('portwire/electron/utility');
      const preload = (await import('node:module')).createRequire(process.cwd() + '/')('portwire/electron/preload');
      let error;
      try { main.rendererEndpoint({}); } catch (e) { error = e.code; }
      console.log(JSON.stringify({
        main: [typeof main.rendererEndpoint, typeof main.brokerPorts, typeof main.createPeer],
        renderer: typeof renderer.mainEndpoint, utility: typeof utility.parentEndpoint, preload: typeof preload.exposePortwire,
        withoutElectron: error,
      }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({
      main: ['function', 'function', 'function'],
      renderer: 'function',
      utility: 'function',
      preload: 'function',
      withoutElectron: 'NOT_ELECTRON',
    });
  });

  it('has CommonJS types: preload.d.cts over declarations in a "type": "commonjs" folder', () => {
    expect(readFileSync(join(root, 'dist/electron/preload.d.cts'), 'utf8')).toContain("from './preload-types/electron/preload.js'");
    expect(JSON.parse(readFileSync(join(root, 'dist/electron/preload-types/package.json'), 'utf8'))).toEqual({ type: 'commonjs' });
    expect(readFileSync(join(root, 'dist/electron/preload-types/electron/preload.d.ts'), 'utf8')).toContain('exposePortwire');
  });

  describe('bundled into an app’s own preload (Vite, CommonJS, electron external)', () => {
    // A project with portwire installed (a link to this repo, its dist/ and package.json).
    let app = '';
    beforeAll(() => {
      app = mkdtempSync(join(tmpdir(), 'portwire-preload-'));
      mkdirSync(join(app, 'node_modules'));
      symlinkSync(root, join(app, 'node_modules/portwire'), 'dir');
    });
    afterAll(() => rmSync(app, { recursive: true, force: true }));
    const bundle = async (name: string, source: string) => {
      writeFileSync(join(app, `${name}.js`), source);
      await build({
        configFile: false,
        root: app,
        logLevel: 'silent',
        build: {
          outDir: join(app, 'out'),
          emptyOutDir: false,
          minify: true,
          lib: { entry: join(app, `${name}.js`), formats: ['cjs'], fileName: () => `${name}.cjs` },
          rolldownOptions: { external: ['electron'] },
        },
      });
      return readFileSync(join(app, 'out', `${name}.cjs`), 'utf8');
    };

    it('calling exposePortwire() yourself exposes exactly one bridge', async () => {
      const run = runAsPreload(await bundle('explicit', "import { exposePortwire } from 'portwire/electron/preload';\nexposePortwire();\n"));
      expect(run.required).toEqual(['electron']);
      expect(run.exposed.map(([key]) => key)).toEqual(['portwire']);
    });

    it('a bare import keeps its effect: package.json sideEffects lists the preload file', async () => {
      const run = runAsPreload(await bundle('bare', "import 'portwire/electron/preload';\n"));
      expect(run.exposed.map(([key]) => key)).toEqual(['portwire']);
    });
  });
});

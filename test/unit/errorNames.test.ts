import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { build } from 'vite';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { closeAll, pair, sleep } from './helpers';

afterEach(closeAll);

const CLASSES = ['PortwireError', 'TimeoutError', 'PeerClosedError', 'MethodNotFoundError', 'RemoteError', 'DataCloneError', 'AbortError'];

// The main entry as a production build ships it: minified, so every class gets a one-letter name.
let dir: string;
let minified: Record<string, any>;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'portwire-minified-'));
  await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      outDir: dir,
      minify: true,
      target: 'es2022',
      rolldownOptions: {
        input: resolve(__dirname, '../../src/index.ts'),
        preserveEntrySignatures: 'strict',
        output: { format: 'es', entryFileNames: 'entry.js' },
      },
    },
  });
  minified = await import(pathToFileURL(join(dir, 'entry.js')).href);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('error names in a minified build', () => {
  it('the bundle really renamed the classes (or this test proves nothing)', () => {
    expect(CLASSES.filter((name) => minified[name].name === name)).toEqual([]);
  });

  it('every error class keeps its own name', () => {
    const made = {
      PortwireError: new minified.PortwireError('X', 'portwire: x'),
      TimeoutError: new minified.TimeoutError('m', 5),
      PeerClosedError: new minified.PeerClosedError(),
      MethodNotFoundError: new minified.MethodNotFoundError('m'),
      RemoteError: new minified.RemoteError({ name: 'TypeError', message: 'boom' }),
      DataCloneError: new minified.DataCloneError('m', 'argument'),
      AbortError: new minified.AbortError('m'),
    };
    for (const [name, error] of Object.entries(made)) {
      expect(error.name, name).toBe(name);
      // A RemoteError carries the handler's own message, which has no prefix of ours.
      expect(String(error), name).toMatch(new RegExp(`^${name}: ${name === 'RemoteError' ? 'boom$' : 'portwire: '}`));
    }
  });

  it('errors that cross a real channel carry their names and one prefix', async () => {
    const { port1, port2 } = new MessageChannel();
    minified.expose({ slow: () => new Promise(() => {}) }, port2);
    const remote = minified.connect(port1, { timeout: 50 });
    const errors = await Promise.all([remote.nope().catch((e: Error) => e), remote.slow().catch((e: Error) => e)]);
    expect(errors.map((e) => e.name)).toEqual(['MethodNotFoundError', 'TimeoutError']);
    expect(errors.map((e) => String(e).match(/portwire:/g)?.length)).toEqual([1, 1]);
    port1.close();
  });
});

describe('the default onError', () => {
  it('logs a failed notification with one prefix', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const { remote } = pair({});
      (remote as any).$notify('nope');
      await sleep(20);
      expect(log).toHaveBeenCalledTimes(1);
      const line = format(...log.mock.calls[0]!);
      expect(line).toMatch(/^MethodNotFoundError: portwire: method "nope" is not exposed/);
      expect(line.match(/portwire:/g)).toHaveLength(1);
    } finally {
      log.mockRestore();
    }
  });
});

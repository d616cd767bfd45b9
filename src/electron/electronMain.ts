import { createRequire } from 'node:module';
import { PortwireError } from '../errors/PortwireError.js';
import type { ElectronMain } from './types.js';

/**
 * Electron's main-process module: `given` when passed (tests, plain Node), else what
 * `require('electron')` gives, asked only now and never at import, so importing
 * portwire/electron/main outside Electron costs nothing. Outside Electron that require gives the
 * npm package's path string (or throws): that is a clear error here.
 */
export function electronMain(given: ElectronMain | undefined): ElectronMain {
  if (given) return given;
  let loaded: unknown;
  try {
    loaded = createRequire(import.meta.url)('electron');
  } catch {}
  if (typeof (loaded as ElectronMain | undefined)?.MessageChannelMain !== 'function') {
    throw new PortwireError(
      'NOT_ELECTRON',
      "portwire/electron/main: require('electron') is not Electron's main-process module here; outside Electron's main process pass { electron: { MessageChannelMain, app } }",
    );
  }
  return loaded as ElectronMain;
}

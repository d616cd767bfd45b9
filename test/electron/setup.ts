// Shared set-up of the Electron suites: windows whose documents run portwire's preload bridge.
import { afterEach } from 'vitest';
import { exposePortwire } from '../../src/electron/bridge';
import type { ElectronMain } from '../../src/electron/types';
import { FakeChannelMain } from './fakePorts';
import { FakeWebContents, type FakeDocument } from './fakeRenderer';

export const APP_PATH = '/opt/app/resources/app.asar';

/** What `require('electron')` gives main, injected. */
export const electron: ElectronMain = { MessageChannelMain: FakeChannelMain, app: { getAppPath: () => APP_PATH } };

/** Runs the preload in a document, as Electron runs webPreferences.preload there. */
export function preload(doc: FakeDocument): FakeDocument {
  exposePortwire({ electron: { contextBridge: doc.contextBridge, ipcRenderer: doc.ipcRenderer }, window: doc.window });
  return doc;
}

const cleanups: Array<() => void> = [];
export const onCleanup = (fn: () => void) => cleanups.push(fn);
afterEach(() => {
  for (const fn of cleanups.splice(0).reverse()) {
    try {
      fn();
    } catch {}
  }
});

/** A window that loaded `url`, its document already preloaded. */
export function openWindow(url = 'app://app/index.html'): { contents: FakeWebContents; doc: FakeDocument } {
  const contents = new FakeWebContents();
  const doc = preload(contents.load(url));
  onCleanup(() => contents.isDestroyed() || contents.destroy());
  return { contents, doc };
}

/** Records what an onIgnored hook sees. */
export function ignoredLog() {
  const seen: Array<[string, unknown]> = [];
  return { seen, onIgnored: (reason: string, data: unknown) => void seen.push([reason, data]) };
}

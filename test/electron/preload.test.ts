import { describe, expect, it } from 'vitest';
import { createPeer, expose } from '../../src/index';
import { exposePortwire } from '../../src/electron/bridge';
import { BRIDGE_KEY, PORT, handover } from '../../src/electron/handover';
import { preloadEndpoint } from '../../src/electron/preloadEndpoint';
import { rendererEndpoint } from '../../src/electron/rendererEndpoint';
import { sleep } from '../contracts/harness';
import { FakeChannelMain } from './fakePorts';
import { FakeWebContents } from './fakeRenderer';
import { electron, onCleanup, openWindow, preload } from './setup';

describe('the preload bridge', () => {
  it('exposes one narrow object through contextBridge: connect(channel), never ipcRenderer', () => {
    const contents = new FakeWebContents();
    onCleanup(() => contents.destroy());
    const doc = contents.load('app://app/index.html');
    const before = Object.keys(doc.window);
    preload(doc);
    expect(Object.keys(doc.window).filter((key) => !before.includes(key))).toEqual([BRIDGE_KEY]);
    const bridge = doc.window[BRIDGE_KEY] as Record<string, unknown>;
    expect(Object.keys(bridge)).toEqual(['connect']);
    expect(Object.values(bridge).includes(doc.ipcRenderer)).toBe(false);
    expect(() => (bridge.connect as (channel: unknown) => void)({ evil: true })).toThrow(TypeError);
    expect(() => (bridge.connect as (channel: unknown) => void)('x'.repeat(300))).toThrow(TypeError);
  });

  it('a second exposePortwire() in the same window does nothing (the shipped preload and yours may both call it)', () => {
    const { doc } = openWindow();
    expect(() => exposePortwire({ electron: { contextBridge: doc.contextBridge, ipcRenderer: doc.ipcRenderer }, window: doc.window })).not.toThrow();
  });

  it("outside a preload, with nothing passed, it says what it needs (plain Node's require('electron') is no module)", () => {
    expect(() => exposePortwire({ window: {} as never })).toThrow(/runs in an Electron preload script/);
    expect(() => preloadEndpoint()).toThrow(/runs in an Electron preload script/);
  });

  it('forwards into the page only ports for channels the page asked for', async () => {
    const { contents, doc } = openWindow();
    const seen: unknown[] = [];
    doc.window.addEventListener('message', (event) => void seen.push((event as MessageEvent).data));
    contents.mainFrame.postMessage(PORT, handover('unasked', 'ports'), [new FakeChannelMain().port2]);
    await sleep(30);
    expect(seen).toEqual([]);
  });
});

describe('preloadEndpoint: a peer in the preload itself, the page gets no port', () => {
  it('calls main and answers it, with main checking the frame as for any page', async () => {
    const { contents, doc } = openWindow();
    const pagePorts: unknown[] = [];
    doc.window.addEventListener('message', (event) => void pagePorts.push(...(event as MessageEvent).ports));
    const main = expose({ get: (key: string) => `value of ${key}` }, rendererEndpoint(contents, { electron, channel: 'settings' }));
    const inPreload = createPeer<{ get(key: string): string }>(preloadEndpoint({ channel: 'settings', ipcRenderer: doc.ipcRenderer }));
    onCleanup(() => (main.close(), inPreload.close()));
    expect(await inPreload.remote.get('theme')).toBe('value of theme');
    expect(pagePorts).toEqual([]);
  });

  it('a foreign page cannot get the preload its port either', async () => {
    const contents = new FakeWebContents();
    onCleanup(() => contents.destroy());
    contents.load('app://app/index.html');
    const doc = contents.load('https://evil.example/');
    const main = expose({ get: () => 'secret' }, rendererEndpoint(contents, { electron, channel: 's', allowedOrigins: ['app://app'] }));
    const inPreload = createPeer<{ get(): string }>(preloadEndpoint({ channel: 's', ipcRenderer: doc.ipcRenderer }), { timeout: 100 });
    onCleanup(() => (main.close(), inPreload.close()));
    await expect(inPreload.remote.get()).rejects.toMatchObject({ name: 'TimeoutError' });
  });
});

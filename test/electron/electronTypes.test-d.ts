// Electron's own objects, as electron.d.ts types them, fit the adapters (checked by `npm run
// typecheck`; nothing here runs). The adapters' declarations never name 'electron' themselves.
import type { App, BrowserWindow, ContextBridge, IpcMainEvent, IpcRenderer, MessageChannelMain, ParentPort, UtilityProcess, WebFrameMain } from 'electron';
import { brokerPorts, connect, createPeer, portEndpoint, rendererEndpoint, utilityEndpoint, type FrameLike, type Remote } from '../../src/electron/main';
import { exposePortwire, preloadEndpoint } from '../../src/electron/preload';
import { mainEndpoint } from '../../src/electron/renderer';
import { expose, parentEndpoint } from '../../src/electron/utility';

declare const win: BrowserWindow;
declare const other: BrowserWindow;
declare const child: UtilityProcess;
declare const Channel: typeof MessageChannelMain;
declare const app: App;
declare const channel: MessageChannelMain;
declare const event: IpcMainEvent;
declare const frame: WebFrameMain;
declare const contextBridge: ContextBridge;
declare const ipcRenderer: IpcRenderer;
declare const parentPort: ParentPort;

interface RendererApi {
  render(text: string): void;
}

// main
const ui = createPeer<RendererApi>(rendererEndpoint(win.webContents, { allowedOrigins: ['app://app'], electron: { MessageChannelMain: Channel, app } }));
ui.remote.render('hi');
brokerPorts(win.webContents, other.webContents, { channel: 'link', electron: { MessageChannelMain: Channel } });
connect<RendererApi>(portEndpoint(channel.port1));
connect<RendererApi>(utilityEndpoint(child));
const senderFrame: FrameLike | null = event.senderFrame;
const asFrame: FrameLike = frame;
// @ts-expect-error a WebContents is not a UtilityProcess
utilityEndpoint(win.webContents);

// preload
exposePortwire({ electron: { contextBridge, ipcRenderer } });
preloadEndpoint({ ipcRenderer });

// renderer
const main: Remote<{ version(): string }> = connect(mainEndpoint({ channel: 'x' }));

// utility
expose({ run: () => 1 }, parentEndpoint(parentPort));

export { senderFrame, asFrame, main };

// The parts of Electron's objects portwire uses, as structural types: the declarations never name
// the `electron` package, so they hold without it installed, and Electron's own objects fit them
// (test/electron/electronTypes.test-d.ts checks that against electron.d.ts).

/** A listener with whatever arguments an Electron event passes. */
type Listener = (...args: any[]) => void;

/** An EventEmitter as far as portwire uses one. */
export interface Emitter {
  on(event: string, listener: Listener): unknown;
  off(event: string, listener: Listener): unknown;
}

/** Electron's `MessagePortMain` (main process): `'message'` gives `{ data, ports }`. */
export interface MessagePortMainLike extends Emitter {
  postMessage(message: any, transfer?: any[]): void;
  start(): void;
  close(): void;
}

/** Electron's `MessageChannelMain` constructor. */
export type MessageChannelMainLike = new () => { port1: MessagePortMainLike; port2: MessagePortMainLike };

/** Electron's `WebFrameMain`: the frame an IPC message came from. */
export interface FrameLike {
  readonly origin: string;
  readonly url: string;
  readonly parent: FrameLike | null;
  readonly top: FrameLike | null;
  readonly detached?: boolean;
  readonly processId?: number;
  readonly routingId?: number;
  readonly framesInSubtree?: readonly FrameLike[];
  postMessage(channel: string, message: any, transfer?: any[]): void;
  send(channel: string, ...args: any[]): void;
}

/** Electron's `IpcMainEvent`, read synchronously in the listener. */
export interface IpcEventLike {
  readonly sender: unknown;
  readonly senderFrame: FrameLike | null;
  readonly ports: readonly unknown[];
}

/** Electron's `WebContents` (a window's `win.webContents`). */
export interface WebContentsLike extends Emitter {
  /** The IpcMain scoped to this WebContents (Electron 17+). */
  readonly ipc: Emitter;
  readonly mainFrame: FrameLike;
  getURL(): string;
  isDestroyed(): boolean;
}

/** Electron's `UtilityProcess` (`utilityProcess.fork(…)`): `'message'` gives the data itself. */
export interface UtilityProcessLike extends Emitter {
  postMessage(message: any, transfer?: any[]): void;
  kill(): boolean;
  readonly pid?: number | undefined;
}

/** A utility process's `process.parentPort`: `'message'` gives `{ data, ports }`; it sends no transfers. */
export interface ParentPortLike extends Emitter {
  postMessage(message: any): void;
}

/** Electron's `ipcRenderer` as the preload uses it. */
export interface IpcRendererLike extends Emitter {
  send(channel: string, ...args: any[]): void;
}

/** Electron's `contextBridge`. */
export interface ContextBridgeLike {
  exposeInMainWorld(apiKey: string, api: any): void;
}

/**
 * Electron's main-process module, or the parts of it the main adapters use. Pass it where
 * `require('electron')` is not Electron's (plain Node, tests).
 */
export interface ElectronMain {
  MessageChannelMain: MessageChannelMainLike;
  app?: { getAppPath(): string };
}

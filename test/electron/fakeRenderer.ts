// Electron's WebContents, WebFrameMain, IpcMainEvent, ipcRenderer, contextBridge and the page's
// window, following their documented shapes. Every IPC hop and window message crosses a real
// MessageChannel (fakePorts.ts), so data is structured-cloned and ports move for real.
import { EventEmitter } from 'node:events';
import type { MessagePort } from 'node:worker_threads';
import { Pipe, takePorts, FakePortMain } from './fakePorts';

let nextId = 1;

/** Chromium's serialization of a frame's origin: "file://" for files, "null" for opaque ones. */
// A custom scheme with a host (app://app) is taken as registered standard, as apps should.
function originOf(url: string): string {
  if (url.startsWith('file:')) return 'file://';
  const parsed = new URL(url);
  return parsed.origin !== 'null' || !parsed.host ? parsed.origin : `${parsed.protocol}//${parsed.host}`;
}

/** The page's window: a real EventTarget; postMessage crosses a real channel and arrives with `source`. */
export class FakeWindow extends EventTarget {
  [key: string]: unknown;
  #pipe = new Pipe(({ data, source }, ports) => this.#arrive(data, ports, source === 'self' ? this : (this.#others.get(source) ?? null)));
  #others = new Map<number, unknown>();
  constructor(readonly origin: string) {
    super();
  }
  postMessage(data: unknown, targetOrigin: string, transfer: any[] = []): void {
    if (targetOrigin !== '*' && targetOrigin !== this.origin) return;
    this.#pipe.send({ data, source: 'self' }, transfer);
  }
  /** What another window (an iframe, say) posting into this one looks like. */
  postFrom(source: object, data: unknown, transfer: MessagePort[] = []): void {
    const id = nextId++;
    this.#others.set(id, source);
    this.#pipe.send({ data, source: id }, transfer);
  }
  /** Ports delivered into this window: the browser closes them when the document goes. */
  readonly ports: MessagePort[] = [];
  #arrive(data: unknown, ports: MessagePort[], source: unknown): void {
    this.ports.push(...ports);
    const event = new MessageEvent('message', { data, ports: ports as never, origin: this.origin });
    Object.defineProperty(event, 'source', { value: source });
    this.dispatchEvent(event);
  }
  close(): void {
    for (const port of this.ports) port.close();
    this.#pipe.close();
  }
}

/** One document in one frame: its ipcRenderer, contextBridge and window (what its preload and page see). */
export class FakeDocument {
  readonly ipcRenderer = new EventEmitter() as EventEmitter & { send(channel: string, ...args: unknown[]): void; postMessage(channel: string, message: unknown, transfer?: MessagePort[]): void };
  readonly window: FakeWindow;
  readonly contextBridge = {
    exposeInMainWorld: (key: string, api: unknown) => {
      if (key in this.window) throw new Error(`Cannot bind an API on top of an existing property on the window object: ${key}`);
      Object.defineProperty(this.window, key, { value: Object.freeze({ ...(api as object) }), enumerable: true });
    },
  };
  /** Ports this document received: they close when it goes away, as the browser closes them. */
  readonly ports: MessagePort[] = [];
  constructor(readonly frame: FakeFrame, toMain: Pipe) {
    this.window = new FakeWindow(frame.origin);
    this.ipcRenderer.send = (channel, ...args) => toMain.send({ channel, args, frame: frame.id }, []);
    this.ipcRenderer.postMessage = (channel, message, transfer = []) => toMain.send({ channel, args: [message], frame: frame.id }, transfer);
  }
  receive(channel: string, args: unknown[], ports: MessagePort[]): void {
    this.ports.push(...ports);
    this.ipcRenderer.emit(channel, { sender: this.ipcRenderer, ports }, ...args);
  }
  teardown(): void {
    for (const port of this.ports) port.close();
    this.window.close();
  }
}

/** Electron's WebFrameMain: one frame's current document, null-ed out of IPC events once it is gone. */
export class FakeFrame {
  readonly id = nextId++;
  readonly processId = 1;
  readonly routingId = this.id;
  readonly origin: string;
  readonly children: FakeFrame[] = [];
  document: FakeDocument;
  #destroyed = false;
  #toRenderer: Pipe;
  constructor(readonly url: string, readonly parent: FakeFrame | null, toMain: Pipe) {
    this.origin = originOf(url);
    this.document = new FakeDocument(this, toMain);
    this.#toRenderer = new Pipe(({ channel, args }, ports) => this.#destroyed || this.document.receive(channel, args, ports));
  }
  get top(): FakeFrame {
    return this.parent ? this.parent.top : this;
  }
  get detached(): boolean {
    return this.#destroyed;
  }
  get framesInSubtree(): FakeFrame[] {
    return [this, ...this.children.flatMap((child) => child.framesInSubtree)];
  }
  isDestroyed(): boolean {
    return this.#destroyed;
  }
  postMessage(channel: string, message: unknown, transfer?: unknown[]): void {
    this.#toRenderer.send({ channel, args: [message] }, takePorts(transfer));
  }
  send(channel: string, ...args: unknown[]): void {
    this.#toRenderer.send({ channel, args }, []);
  }
  destroy(): void {
    for (const child of this.children) child.destroy();
    this.#destroyed = true;
    this.document.teardown();
    this.#toRenderer.close();
  }
}

/** Electron's WebContents, with the events portwire watches and ways to make them happen. */
export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  readonly ipc = new EventEmitter();
  mainFrame: FakeFrame;
  #destroyed = false;
  #frames = new Map<number, FakeFrame>();
  #toMain = new Pipe(({ channel, args, frame }, ports) => this.#fromRenderer(channel, args, frame, ports));
  constructor(url = 'about:blank') {
    super();
    this.mainFrame = this.#frame(url, null);
  }
  getURL(): string {
    return this.mainFrame.url === 'about:blank' ? '' : this.mainFrame.url;
  }
  isDestroyed(): boolean {
    return this.#destroyed;
  }
  send(channel: string, ...args: unknown[]): void {
    this.mainFrame.send(channel, ...args);
  }
  postMessage(channel: string, message: unknown, transfer?: unknown[]): void {
    this.mainFrame.postMessage(channel, message, transfer);
  }
  /** The main frame loads a new document: the old one goes, with its ports. */
  load(url: string): FakeDocument {
    this.#startNavigation(url, true, false, this.mainFrame);
    this.mainFrame.destroy();
    this.mainFrame = this.#frame(url, null);
    this.emit('did-navigate', { preventDefault() {} }, url, 200, 'OK');
    return this.mainFrame.document;
  }
  /** An anchor or pushState: same document, nothing goes. */
  navigateInPage(url: string): void {
    this.#startNavigation(url, true, true, this.mainFrame);
  }
  addSubframe(url: string, parent = this.mainFrame): FakeFrame {
    const frame = this.#frame(url, parent);
    parent.children.push(frame);
    return frame;
  }
  /** A subframe loads a new document. */
  navigateSubframe(frame: FakeFrame, url: string): FakeFrame {
    this.#startNavigation(url, false, false, frame);
    const parent = frame.parent!;
    frame.destroy();
    parent.children.splice(parent.children.indexOf(frame), 1);
    return this.addSubframe(url, parent);
  }
  crash(reason = 'crashed'): void {
    this.mainFrame.destroy();
    this.emit('render-process-gone', { preventDefault() {} }, { reason, exitCode: 139 });
  }
  destroy(): void {
    this.mainFrame.destroy();
    this.#destroyed = true;
    this.emit('destroyed');
    this.#toMain.close();
  }
  #frame(url: string, parent: FakeFrame | null): FakeFrame {
    const frame = new FakeFrame(url, parent, this.#toMain);
    this.#frames.set(frame.id, frame);
    return frame;
  }
  // Electron 25+: one details event first, then the deprecated positional arguments.
  #startNavigation(url: string, isMainFrame: boolean, isSameDocument: boolean, frame: FakeFrame): void {
    const details = { url, isMainFrame, isSameDocument, frame, initiator: null, preventDefault() {} };
    this.emit('did-start-navigation', details, url, isSameDocument, isMainFrame, 1, frame.id);
  }
  // An IpcMainEvent: senderFrame is looked up when read, and is null once that frame's document is gone.
  #fromRenderer(channel: string, args: unknown[], frameId: number, ports: MessagePort[]): void {
    const frame = this.#frames.get(frameId);
    if (!frame || this.#destroyed) return;
    const event = {
      sender: this,
      get senderFrame() {
        return frame.isDestroyed() ? null : frame;
      },
      ports: ports.map((port) => new FakePortMain(port)),
      frameId,
      processId: 1,
      reply: (replyChannel: string, ...replyArgs: unknown[]) => frame.send(replyChannel, ...replyArgs),
    };
    this.ipc.emit(channel, event, ...args);
  }
}

// Electron's main-process port objects as documented, built on Node's real MessageChannel: what
// crosses is structured-cloned by the platform, ports really move, and what Electron refuses
// (transferring anything but a MessagePortMain) throws here too.
import { EventEmitter } from 'node:events';
import { MessageChannel, MessagePort } from 'node:worker_threads';

/**
 * A one-way process boundary: a real MessageChannel. `send(payload, ports)` arrives at `deliver`
 * structured-cloned, with the Node ports moved to the other side.
 */
export class Pipe {
  #in: MessagePort;
  #out: MessagePort;
  constructor(deliver: (payload: any, ports: MessagePort[]) => void) {
    const { port1, port2 } = new MessageChannel();
    this.#in = port1;
    this.#out = port2;
    port2.on('message', ({ payload, ports }: { payload: unknown; ports: MessagePort[] }) => deliver(payload, ports));
  }
  send(payload: unknown, ports: MessagePort[] = []): void {
    this.#in.postMessage({ payload, ports }, ports);
  }
  close(): void {
    this.#in.close();
    this.#out.close();
  }
}

/** Electron refuses anything but its own ports in these transfer lists. */
export function takePorts(transfer: readonly unknown[] | undefined): MessagePort[] {
  return (transfer ?? []).map((item, i) => {
    if (!(item instanceof FakePortMain)) throw new TypeError(`Port at index ${i} is not a valid port`);
    return item.take();
  });
}

/** Electron's MessagePortMain: an EventEmitter; 'message' gives { data, ports }; queues until start(). */
export class FakePortMain extends EventEmitter {
  #port: MessagePort | undefined;
  #started = false;
  constructor(port: MessagePort) {
    super();
    this.#port = port;
    port.on('close', () => this.emit('close'));
  }
  start(): void {
    if (this.#started || !this.#port) return;
    this.#started = true;
    // The DOM-style listener, so ports that came in the transfer list show up in event.ports.
    this.#port.addEventListener('message', (event) => {
      const { data, ports } = event as MessageEvent;
      this.emit('message', { data, ports: ports.map((p) => new FakePortMain(p as unknown as MessagePort)) });
    });
    this.#port.start();
  }
  postMessage(message: unknown, transfer?: unknown[]): void {
    const ports = takePorts(transfer);
    this.#port?.postMessage(message, ports);
  }
  close(): void {
    this.#port?.close();
  }
  /** Moves the underlying port out (a transfer): this object is dead from now on. */
  take(): MessagePort {
    const port = this.#port;
    if (!port || this.#started) throw new Error('fake: a started or moved MessagePortMain cannot be transferred');
    this.#port = undefined;
    port.removeAllListeners('close');
    return port;
  }
}

/** Electron's MessageChannelMain. */
export class FakeChannelMain {
  port1: FakePortMain;
  port2: FakePortMain;
  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.port1 = new FakePortMain(port1);
    this.port2 = new FakePortMain(port2);
  }
}

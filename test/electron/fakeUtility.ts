// Electron's UtilityProcess (in main) and process.parentPort (in the child), as documented:
// child.postMessage(message, [MessagePortMain…]) arrives in the child as a 'message' event with
// { data, ports }; parentPort.postMessage(message) takes no transfer list at all (extra
// arguments are dropped, which is why portwire refuses transfers there) and arrives in main as
// the child's 'message' event with the data itself. Both hops cross a real MessageChannel.
import { EventEmitter } from 'node:events';
import { FakePortMain, Pipe, takePorts } from './fakePorts';

let nextPid = 4000;

/** The child's `process.parentPort`: queues what arrives until a 'message' listener is registered. */
export class FakeParentPort extends EventEmitter {
  #queued: unknown[] = [];
  constructor(readonly send: (message: unknown) => void) {
    super();
    this.on('newListener', (event: string) => {
      if (event !== 'message') return;
      queueMicrotask(() => {
        for (const queued of this.#queued.splice(0)) this.emit('message', queued);
      });
    });
  }
  postMessage(message: unknown): void {
    this.send(message);
  }
  deliver(event: unknown): void {
    if (this.listenerCount('message') > 0) this.emit('message', event);
    else this.#queued.push(event);
  }
}

/** `utilityProcess.fork(…)`'s UtilityProcess, with its child's parentPort in `parentPort`. */
export class FakeUtilityProcess extends EventEmitter {
  pid: number | undefined = nextPid++;
  readonly parentPort: FakeParentPort;
  #toChild: Pipe;
  #toParent: Pipe;
  constructor() {
    super();
    this.#toParent = new Pipe((message) => this.pid !== undefined && this.emit('message', message));
    this.parentPort = new FakeParentPort((message) => this.#toParent.send(message));
    this.#toChild = new Pipe((data, ports) => this.parentPort.deliver({ data, ports: ports.map((port) => new FakePortMain(port)) }));
  }
  postMessage(message: unknown, transfer?: unknown[]): void {
    const ports = takePorts(transfer);
    if (this.pid !== undefined) this.#toChild.send(message, ports);
  }
  kill(): boolean {
    if (this.pid === undefined) return false;
    setImmediate(() => this.exit(143));
    return true;
  }
  /** The child ends (a crash, process.exit): 'exit' with its code. */
  exit(code: number): void {
    if (this.pid === undefined) return;
    this.pid = undefined;
    this.#toChild.close();
    this.#toParent.close();
    this.emit('exit', code);
  }
}

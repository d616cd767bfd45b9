import { noteEcho, trackAhead } from '../probe';
import type { Client, Port } from '../types';

// The batched limit: bare postMessage plus the two tricks an RPC layer can add — every message
// produced in one microtask turn leaves as one postMessage (with the union of transfer lists), and
// streams run on a 256-item credit window topped up by half a window. No guards, no envelope, no
// timeouts: the practical ceiling for this host.

const CALL = 0;
const REPLY = 1;
const ITEMS = 2;
const PULL = 3;
const WINDOW = 256;

type Message = [kind: number, id: number, payload: any, args?: any[]];

class Batcher {
  #out: Message[] = [];
  #transfer: Transferable[] | undefined;
  #scheduled = false;
  constructor(readonly port: Port) {}

  send(message: Message, transfer?: Transferable[]): void {
    this.#out.push(message);
    if (transfer) (this.#transfer ??= []).push(...transfer);
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(this.#flush);
    }
  }

  #flush = (): void => {
    const out = this.#out;
    const transfer = this.#transfer;
    this.#out = [];
    this.#transfer = undefined;
    this.#scheduled = false;
    this.port.post(out, transfer);
  };
}

interface Reading {
  onItem: (value: number) => void;
  taken: number;
}

export function limitClient(port: Port): Client {
  const out = new Batcher(port);
  let nextId = 1;
  const calls = new Map<number, (value: any) => void>();
  const readings = new Map<number, Reading>();
  port.listen((data) => {
    const batch = data as Message[];
    for (let k = 0; k < batch.length; k++) {
      const [kind, id, payload] = batch[k]!;
      if (kind === REPLY) {
        const resolve = calls.get(id)!;
        calls.delete(id);
        resolve(payload);
        continue;
      }
      const reading = readings.get(id)!;
      const items = payload as number[];
      for (let j = 0; j < items.length; j++) {
        reading.onItem(items[j]!);
        if (++reading.taken >= WINDOW >> 1) {
          out.send([PULL, id, reading.taken]);
          reading.taken = 0;
        }
      }
    }
  });
  const call = (method: string, args: any[], transfer?: Transferable[]): [number, Promise<any>] => {
    const id = nextId++;
    const promise = new Promise((resolve) => calls.set(id, resolve));
    out.send([CALL, id, method, args], transfer);
    return [id, promise];
  };
  return {
    add: (a, b) => call('add', [a, b])[1],
    async stream(n, onItem) {
      const [id, done] = call('count', [n]);
      readings.set(id, { onItem, taken: 0 });
      out.send([PULL, id, WINDOW]);
      await done;
      readings.delete(id);
    },
    echo: (buffer) => call('echo', [buffer], [buffer])[1],
  };
}

interface Producing {
  next: number;
  n: number;
  credit: number;
  track: (produced: number) => void;
}

export function limitServer(port: Port, shared: Int32Array): void {
  const out = new Batcher(port);
  const producing = new Map<number, Producing>();
  const pump = (id: number, p: Producing): void => {
    const items: number[] = [];
    while (p.credit > 0 && p.next < p.n) {
      p.track(p.next + 1);
      items.push(p.next++);
      p.credit--;
    }
    if (items.length) out.send([ITEMS, id, items]);
    if (p.next === p.n) {
      producing.delete(id);
      out.send([REPLY, id, p.n]);
    }
  };
  port.listen((data) => {
    const batch = data as Message[];
    for (let k = 0; k < batch.length; k++) {
      const [kind, id, payload, args] = batch[k]!;
      if (kind === PULL) {
        const p = producing.get(id);
        if (p) {
          p.credit += payload as number;
          pump(id, p);
        }
      } else if (payload === 'add') out.send([REPLY, id, args![0] + args![1]]);
      else if (payload === 'count') producing.set(id, { next: 0, n: args![0], credit: 0, track: trackAhead(shared) });
      else {
        out.send([REPLY, id, args![0]], [args![0]]);
        noteEcho(shared, args![0]);
      }
    }
  });
}

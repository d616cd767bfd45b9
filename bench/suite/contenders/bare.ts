import { noteEcho, trackAhead } from '../probe';
import type { Client, Port } from '../types';

// Bare postMessage: one message per call, one per reply, one per stream item, ids in a Map.
// The floor any RPC layer sits on; streams flood with no flow control.

interface Request {
  i: number;
  m: 'add' | 'count' | 'echo';
  a: any[];
}
/** A reply (`r`) or, while a stream runs, one of its items (`v`). */
interface Reply {
  i: number;
  r?: unknown;
  v?: number;
}

export function bareClient(port: Port): Client {
  let nextId = 1;
  const calls = new Map<number, (value: any) => void>();
  const streams = new Map<number, (value: number) => void>();
  port.listen((data) => {
    const m = data as Reply;
    if (m.v !== undefined) return streams.get(m.i)!(m.v);
    const resolve = calls.get(m.i)!;
    calls.delete(m.i);
    resolve(m.r);
  });
  const call = (m: Request['m'], a: any[], transfer?: Transferable[]): Promise<any> =>
    new Promise((resolve) => {
      const i = nextId++;
      calls.set(i, resolve);
      port.post({ i, m, a } satisfies Request, transfer);
    });
  return {
    add: (a, b) => call('add', [a, b]),
    async stream(n, onItem) {
      const i = nextId;
      streams.set(i, onItem);
      await call('count', [n]); // the reply follows the last item on the same port
      streams.delete(i);
    },
    echo: (buffer) => call('echo', [buffer], [buffer]),
  };
}

export function bareServer(port: Port, shared: Int32Array): void {
  port.listen((data) => {
    const { i, m, a } = data as Request;
    if (m === 'add') port.post({ i, r: a[0] + a[1] } satisfies Reply);
    else if (m === 'count') {
      const track = trackAhead(shared);
      const n: number = a[0];
      for (let v = 0; v < n; v++) {
        track(v + 1);
        port.post({ i, v } satisfies Reply);
      }
      port.post({ i, r: n } satisfies Reply);
    } else {
      port.post({ i, r: a[0] } satisfies Reply, [a[0]]);
      noteEcho(shared, a[0]);
    }
  });
}

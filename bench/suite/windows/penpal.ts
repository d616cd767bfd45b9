import { CallOptions, connect, Reply, WindowMessenger } from 'penpal';
import { noteEcho, trackAhead } from '../probe';
import type { Client } from '../types';

// penpal 7 with its defaults, page ↔ iframe. It has no streams: the iframe calls the page's
// `item` once per item (a call and a reply each; not awaited, so there is no flow control), then
// answers `count`, whose reply follows the last item on penpal's port.

interface FrameMethods {
  add(a: number, b: number): number;
  count(n: number): number;
  echo(buffer: ArrayBuffer): Reply<ArrayBuffer>;
  [name: string]: (...args: any[]) => unknown;
}
interface PageMethods {
  item(value: number): void;
  [name: string]: (...args: any[]) => unknown;
}

export async function penpalClient(frame: Window, frameOrigin: string): Promise<Client> {
  let onItem: (value: number) => void = () => {};
  let got = 0;
  const connection = connect<FrameMethods>({
    messenger: new WindowMessenger({ remoteWindow: frame, allowedOrigins: [frameOrigin] }),
    methods: { item: (value: number) => void (got++, onItem(value)) },
  });
  const remote = await connection.promise;
  return {
    add: (a, b) => remote.add(a, b),
    async stream(n, handler) {
      onItem = handler;
      got = 0;
      await remote.count(n);
      if (got !== n) throw new Error(`penpal: ${got} of ${n} items arrived before the answer`);
    },
    echo: (buffer) => remote.echo(buffer, new CallOptions({ transferables: [buffer] })) as Promise<ArrayBuffer>,
  };
}

export function penpalServer(parentOrigin: string, shared: Int32Array): void {
  let page: { item(value: number): Promise<void> } | undefined;
  const connection = connect<PageMethods>({
    messenger: new WindowMessenger({ remoteWindow: window.parent, allowedOrigins: [parentOrigin] }),
    methods: {
      add: (a: number, b: number) => a + b,
      count(n: number) {
        const track = trackAhead(shared);
        for (let v = 0; v < n; v++) {
          track(v + 1);
          void page!.item(v);
        }
        return n;
      },
      echo(buffer: ArrayBuffer) {
        noteEcho(shared, buffer);
        return new Reply(buffer, { transferables: [buffer] });
      },
    },
  });
  void connection.promise.then((remote) => (page = remote as never));
}

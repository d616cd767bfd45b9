import { createBirpc } from 'birpc';
import { noteEcho, trackAhead } from '../probe';
import type { Client, Port } from '../types';

// birpc 4 with its defaults (60 s timeout per call). It has no streams: the worker sends one event
// per item. It has no transfer lists either, so the 64 MB buffer is copied both ways.

interface ServerFns {
  add(a: number, b: number): number;
  count(n: number): number;
  echo(buffer: ArrayBuffer): ArrayBuffer;
}
interface ClientFns {
  item(value: number): void;
}

export function birpcClient(port: Port): Client {
  let onItem: (value: number) => void = () => {};
  let got = 0;
  const rpc = createBirpc<ServerFns, ClientFns>(
    { item: (value) => (got++, onItem(value)) },
    { post: (data) => port.post(data), on: (handler) => port.listen(handler) },
  );
  return {
    add: (a, b) => rpc.add(a, b),
    async stream(n, handler) {
      onItem = handler;
      got = 0;
      await rpc.count(n);
      if (got !== n) throw new Error(`birpc: ${got} of ${n} events arrived before the answer`);
    },
    echo: (buffer) => rpc.echo(buffer),
  };
}

export function birpcServer(port: Port, shared: Int32Array): void {
  const rpc = createBirpc<ClientFns, ServerFns>(
    {
      add: (a, b) => a + b,
      count(n) {
        const track = trackAhead(shared);
        for (let v = 0; v < n; v++) {
          track(v + 1);
          void rpc.$callEvent('item', v);
        }
        return n;
      },
      echo(buffer) {
        noteEcho(shared, buffer);
        return buffer;
      },
    },
    { post: (data) => port.post(data), on: (handler) => port.listen(handler) },
  );
}

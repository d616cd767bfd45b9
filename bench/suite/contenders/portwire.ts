import { transfer, type Remote } from '../../../src/index';
import { trackAhead, noteEcho } from '../probe';
import type { Client } from '../types';

// portwire with its defaults (window 256, timeout 30 s): the stream is an async generator on the
// worker, read with for await on the page. The host passes connect/expose for its platform.

export const PORTWIRE_DEFAULT_WINDOW = 256; // PeerOptions.window @default, src/core/options.ts

const serverApi = (shared: Int32Array) => ({
  add: (a: number, b: number) => a + b,
  async *count(n: number) {
    const track = trackAhead(shared);
    for (let v = 0; v < n; v++) {
      track(v + 1);
      yield v;
    }
  },
  echo(buffer: ArrayBuffer) {
    noteEcho(shared, buffer);
    return transfer(buffer, [buffer]);
  },
});
export type ServerApi = ReturnType<typeof serverApi>;

export function portwireClient(remote: Remote<ServerApi>): Client {
  return {
    add: (a, b) => remote.add(a, b),
    async stream(n, onItem) {
      for await (const value of remote.count(n)) onItem(value);
    },
    echo: (buffer) => remote.echo(transfer(buffer, [buffer])),
  };
}

export function portwireServer(expose: (api: ServerApi) => unknown, shared: Int32Array): void {
  expose(serverApi(shared));
}

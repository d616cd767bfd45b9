import * as Comlink from 'comlink';
import { noteEcho, trackAhead } from '../probe';
import type { Client } from '../types';

// Comlink 4 with its defaults. It has no streams: the page passes a proxied callback and the
// worker calls it once per item (each call is a message, answered by another; not awaited, so
// there is no flow control).

type Endpoint = Comlink.Endpoint;

export function comlinkClient(endpoint: Endpoint): Client {
  const remote = Comlink.wrap<any>(endpoint);
  return {
    add: (a, b) => remote.add(a, b),
    stream(n, onItem) {
      let got = 0;
      let allArrived!: () => void;
      const arrived = new Promise<void>((resolve) => (allArrived = resolve));
      const callback = Comlink.proxy((value: number) => {
        onItem(value);
        if (++got === n) allArrived();
      });
      // The callback has its own MessageChannel: items may overtake the call's answer.
      return Promise.all([remote.countTo(n, callback), arrived]).then(() => undefined);
    },
    echo: (buffer) => remote.echo(Comlink.transfer(buffer, [buffer])),
  };
}

export function comlinkServer(endpoint: Endpoint, shared: Int32Array): void {
  Comlink.expose(
    {
      add: (a: number, b: number) => a + b,
      countTo(n: number, callback: Comlink.Remote<(value: number) => void>) {
        const track = trackAhead(shared);
        for (let v = 0; v < n; v++) {
          track(v + 1);
          void callback(v);
        }
        callback[Comlink.releaseProxy]();
        return n;
      },
      echo(buffer: ArrayBuffer) {
        noteEcho(shared, buffer);
        return Comlink.transfer(buffer, [buffer]);
      },
    },
    endpoint,
  );
}

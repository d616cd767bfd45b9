import { context, createPeer, PeerClosedError, type Peer } from '../../src/index';

// The far side of the SharedWorker tests in e2e/reliability.spec.ts. Every client registers under a
// name; a client can ask the worker to hold work on its connection (calls into the client, a
// stream read from the client, the client's upload, a call from the client that never answers),
// and any other client can read back what that connection saw once the client is gone.
//
// The worker's `name` carries its configuration: `reliability:<heartbeat ms>:<unique id>`. The
// heartbeat watches every connection but the first: the first is the observer's, which starts the
// worker and reads the reports; a busy machine stalling the observer must not close the instrument.
const heartbeat = Number(self.name.split(':')[1]) || 0;
let connections = 0;

/** What a client page answers (see reliability.ts). */
interface ClientApi {
  hang(key: string): Promise<never>;
  ticks(): AsyncIterable<number>;
}

interface Outcome {
  kind: string;
  settled: 'resolved' | 'rejected';
  name: string;
  code: unknown;
  peerClosed: boolean;
  message: string;
  /** Epoch milliseconds (performance.timeOrigin + performance.now()). */
  at: number;
}

interface Client {
  name: string;
  peer: Peer<ClientApi>;
  watched: number;
  outcomes: Outcome[];
  ticksSeen: number;
  uploadSeen: number;
}

const clients = new Map<string, Client>();
const escaped: string[] = [];
addEventListener('error', (event) => escaped.push(`error: ${(event as ErrorEvent).message}`));
addEventListener('unhandledrejection', (event) => {
  const reason = (event as PromiseRejectionEvent).reason;
  escaped.push(`unhandledrejection: ${reason instanceof Error ? reason.stack : String(reason)}`);
});
const now = () => performance.timeOrigin + performance.now();
const never = (): Promise<never> => new Promise<never>(() => {});

addEventListener('connect', (event) => {
  const port = (event as MessageEvent).ports[0]!;
  const beat = connections++ === 0 ? 0 : heartbeat;
  const client = { name: '', watched: 0, outcomes: [], ticksSeen: 0, uploadSeen: 0 } as unknown as Client;
  const watch = (kind: string, promise: Promise<unknown>) => {
    client.watched++;
    const record = (settled: Outcome['settled'], value: unknown) => {
      const e = value as { name?: unknown; code?: unknown; message?: unknown } | undefined;
      client.outcomes.push({
        kind,
        settled,
        name: settled === 'rejected' ? String(e?.name) : '',
        code: settled === 'rejected' ? e?.code : undefined,
        peerClosed: value instanceof PeerClosedError,
        message: settled === 'rejected' ? String(e?.message) : String(value),
        at: now(),
      });
    };
    promise.then(
      (value) => record('resolved', value),
      (error) => record('rejected', error),
    );
  };

  const handlers = {
    register(name: string): number {
      client.name = name;
      clients.set(name, client);
      return beat;
    },
    add: (a: number, b: number) => a + b,
    /**
     * Calls back into this client: `n` calls to its `hang`, and reads its `ticks` stream, all left
     * pending on this side.
     */
    hold(n: number): number {
      const { remote } = context<ClientApi>();
      for (let i = 0; i < n; i++) watch('call into the client', remote.hang(`k${i}`));
      const reading = (async () => {
        for await (const _ of client.peer.remote.ticks()) client.ticksSeen++;
        return 'ended';
      })();
      watch('stream read from the client', reading);
      return n;
    },
    /** Reads the client's upload for as long as it lasts (forever, unless the client goes). */
    upload(values: AsyncIterable<number>): Promise<string> {
      const reading = (async () => {
        for await (const _ of values) client.uploadSeen++;
        return 'ended';
      })();
      watch("the client's upload, read here", reading);
      return reading;
    },
    /** A call from the client that never answers; its handler's signal fires when the peer closes. */
    hangHere(): Promise<never> {
      const { signal } = context();
      watch(
        "signal of the client's pending call",
        new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      );
      return never();
    },
    /** What the connection of client `name` holds and saw. */
    report(name: string) {
      const other = clients.get(name);
      if (!other) return undefined;
      return {
        heartbeat,
        closed: other.peer.closed,
        stats: other.peer.stats,
        watched: other.watched,
        outcomes: other.outcomes,
        ticksSeen: other.ticksSeen,
        uploadSeen: other.uploadSeen,
        escaped: [...escaped],
      };
    },
  };

  client.peer = createPeer<ClientApi>(port, { handlers, heartbeat: beat, timeout: 0, onError: () => {} });
});

export type SharedApi = {
  register(name: string): number;
  add(a: number, b: number): number;
  hold(n: number): number;
  upload(values: AsyncIterable<number>): Promise<string>;
  hangHere(): Promise<never>;
  report(name: string):
    | {
        heartbeat: number;
        closed: boolean;
        stats: { pending: number; incoming: number; inboxes: number; outboxes: number; queued: number };
        watched: number;
        outcomes: Outcome[];
        ticksSeen: number;
        uploadSeen: number;
        escaped: string[];
      }
    | undefined;
};

import { expose } from '../../src/index';
import { poolApi } from '../../test/pool/fixtures/poolApi';

// One worker of the browser test pool: the same API as the worker_threads one. Its name is the
// pool's id for it (the page's factory passes it). It also says it is alive on a BroadcastChannel
// every 20 ms, outside portwire, so the page can watch workers stop once they are terminated.
const name = (self as unknown as { name: string }).name;
const beats = new BroadcastChannel('pool-heartbeat');
setInterval(() => beats.postMessage(name), 20);

expose(
  poolApi(name, {
    // An uncaught error: a browser worker survives it, and the pool treats it as a crash.
    crash: () => {
      throw new Error('the worker crashed on purpose');
    },
    // Closes itself: the page gets no sign of it at all (only a heartbeat can tell).
    exit: () => self.close(),
  }),
);

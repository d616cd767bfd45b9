import { pool, type Pool, type PoolOptions } from '../../src/index';
import type { PoolApi } from '../../test/pool/fixtures/poolApi';

// The page side of e2e/pool.spec.ts: makes pools of real Web Workers and records what they do.
// Specs drive it with page.evaluate(() => window.harness…).

declare global {
  interface Window {
    harness: {
      /** A new pool of pool.worker.ts workers (the previous one is closed). */
      make(options?: PoolOptions<PoolApi>): Pool<PoolApi>;
      readonly workers: Pool<PoolApi>;
      /** `join <id>` and `leave <id> <reason>`, in order. */
      events: string[];
      /** When each worker (by id) last said it was alive, outside portwire. */
      beats: Map<string, number>;
      /** How many Workers the factory made. */
      made: number;
      sleep(ms: number): Promise<void>;
      overlap(a: { start: number; end: number }, b: { start: number; end: number }): boolean;
    };
  }
}

let current: Pool<PoolApi> | undefined;
const beats = new Map<string, number>();
new BroadcastChannel('pool-heartbeat').onmessage = (event: MessageEvent<string>) => void beats.set(event.data, performance.now());

window.harness = {
  make(options = {}) {
    current?.close();
    const events: string[] = (this.events = []);
    current = pool<PoolApi>((id) => {
      this.made++;
      return new Worker(new URL('./pool.worker.ts', import.meta.url), { type: 'module', name: id });
    }, options);
    current.on('join', (id) => events.push(`join ${id}`));
    current.on('leave', (id, reason) => events.push(`leave ${id} ${reason}`));
    return current;
  },
  get workers() {
    return current!;
  },
  events: [],
  beats,
  made: 0,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  overlap: (a, b) => a.start < b.end && b.start < a.end,
};

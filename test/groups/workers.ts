import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'vite';

// Worker threads run plain JavaScript: the fixtures under test/groups/fixtures/ are bundled once
// per test process (its own directory, since test files run in parallel processes).
const out = fileURLToPath(new URL(`../../node_modules/.cache/portwire-group-fixtures/${process.pid}/`, import.meta.url));
let built: Promise<unknown> | undefined;

function buildFixtures(): Promise<unknown> {
  const dir = fileURLToPath(new URL('./fixtures/', import.meta.url));
  const entries = Object.fromEntries(
    readdirSync(dir)
      .filter((file) => file.endsWith('.worker.ts'))
      .map((file) => [file.replace(/\.ts$/, ''), `${dir}${file}`]),
  );
  return (built ??= build({
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir: out,
      emptyOutDir: true,
      minify: false,
      target: 'node18',
      lib: { entry: entries, formats: ['es'] },
      rolldownOptions: { external: [/^node:/] },
    },
  }));
}

/** Starts test/groups/fixtures/<name>.worker.ts in a worker thread. */
export async function startFixture(name: string, workerData: unknown): Promise<Worker> {
  await buildFixtures();
  return new Worker(`${out}${name}.js`, { workerData });
}

export interface MemberReport {
  id: string;
  peers: string[];
}

/** A group member in a worker thread, and what it last reported about itself. */
export async function startMember(workerData: { name: string; heartbeat: number; stallTimers?: boolean }) {
  const worker = await startFixture('member.worker', workerData);
  let last: MemberReport | undefined;
  const reports: MemberReport[] = [];
  worker.on('message', (report: MemberReport) => {
    last = report;
    reports.push(report);
  });
  const first = await new Promise<MemberReport>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    worker,
    id: first.id,
    reports,
    get last() {
      return last ?? first;
    },
    send: (message: { cmd: string; ms?: number }) => worker.postMessage(message),
    terminate: () => worker.terminate(),
  };
}

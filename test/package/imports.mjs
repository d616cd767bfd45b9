import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exec } from './exec.mjs';

// Imports one entry in a plain `node` process inside the project and lists the expected names
// that are not functions there.
const importScript = `
const [specifier, ...names] = process.argv.slice(1);
const entry = await import(specifier);
console.log(JSON.stringify(names.filter((name) => typeof entry[name] !== 'function')));
`;

/** Step 2a: every entry meant for Node imports with plain node and has its exports. */
export async function checkImports(project, report, entries) {
  for (const entry of entries) {
    const name = `import ${entry.specifier} in node`;
    if (!entry.node) {
      report.skip(name, 'not for plain Node; its types are still checked');
      continue;
    }
    const run = await exec(process.execPath, ['--input-type=module', '-e', importScript, entry.specifier, ...entry.exports], {
      cwd: project.dir,
      timeout: 15_000,
    });
    if (run.code !== 0) {
      report.fail(name, run.output);
      continue;
    }
    const missing = JSON.parse(run.stdout);
    report.check(`${name}: ${entry.exports.join(', ')}`, missing.length === 0, `not exported as functions: ${missing.join(', ')}`);
  }
}

// A worker_threads round trip through the installed portwire/node: a call and a stream.
const workerFile = `
import { expose } from 'portwire/node';
expose({
  add: (a, b) => a + b,
  async *count(to) {
    for (let i = 0; i < to; i++) yield i;
  },
});
`;
const mainFile = `
import { Worker } from 'node:worker_threads';
import { connect } from 'portwire/node';

const worker = new Worker(new URL('./node-worker.mjs', import.meta.url));
const remote = connect(worker, { timeout: 5000 });
try {
  const sum = await remote.add(2, 3);
  const counted = [];
  for await (const n of remote.count(3)) counted.push(n);
  console.log(JSON.stringify({ sum, counted }));
} finally {
  remote.$close();
  await worker.terminate();
}
`;

/** Step 2b: portwire/node really talks to a worker_threads Worker. */
export async function checkNodeRoundTrip(project, report) {
  const name = 'portwire/node round trip over a worker_threads Worker (call + stream)';
  writeFileSync(join(project.dir, 'node-worker.mjs'), workerFile);
  writeFileSync(join(project.dir, 'node-main.mjs'), mainFile);
  const run = await exec(process.execPath, ['node-main.mjs'], { cwd: project.dir, timeout: 15_000 });
  if (run.code !== 0) return report.fail(name, run.output);
  const got = run.stdout.trim();
  const want = JSON.stringify({ sum: 5, counted: [0, 1, 2] });
  report.check(name, got === want, `want ${want}\ngot  ${got}`);
}

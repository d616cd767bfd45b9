// npm run test:package: tests portwire as users install it. Packs the repo, installs the tarball
// into a fresh ESM project in a temp dir, and checks it there. Needs `npm run build` first.
import { checkBrowser } from './browser.mjs';
import { readEntries } from './entries.mjs';
import { checkImports, checkNodeRoundTrip } from './imports.mjs';
import { checkLint } from './lint.mjs';
import { createProject } from './project.mjs';
import { createReport } from './report.mjs';
import { checkSize } from './size.mjs';
import { checkTypes } from './types.mjs';

const steps = [
  ['imports in plain node', checkImports],
  ['portwire/node over worker_threads', checkNodeRoundTrip],
  ['types under bundler, node16, nodenext', checkTypes],
  ['vite app with a module worker, in Chromium', checkBrowser],
  ['publint and arethetypeswrong', checkLint],
  ['bundle sizes', checkSize],
];

const started = performance.now();
const report = createReport();
const entries = readEntries();
console.log(`entries: ${entries.map((e) => e.specifier + (e.node ? '' : ' (types only)')).join(', ')}`);

let project;
try {
  report.section('npm pack and install into a fresh project');
  project = await createProject();
  report.pass('npm pack, then npm install of the tarball into a fresh "type": "module" project');
} catch (error) {
  report.fail('npm pack, then npm install of the tarball', error.message);
}

if (project) {
  // Interrupted runs clean up too.
  process.once('SIGINT', () => (project.remove(), process.exit(130)));
  try {
    for (const [title, step] of steps) {
      report.section(title);
      try {
        await step(project, report, entries);
      } catch (error) {
        report.fail(`${title}: the step threw`, error.stack ?? error);
      }
    }
  } finally {
    project.remove();
  }
}

console.log(`\ntook ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.exitCode = report.finish() ? 0 : 1;

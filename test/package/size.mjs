import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_BUDGET, formatSizes, measureEntries } from '../../bench/lib/sizes.mjs';

// What a bundler ships for the usual import, from the installed package, against CORE_BUDGET.
const CORE_IMPORT = `import { expose, connect, transfer } from 'portwire';\nexport { expose, connect, transfer };\n`;

/** Step 6: tree-shaken, minified, brotli-11 sizes from the installed package; the core has a budget. */
export async function checkSize(project, report, entries) {
  const dir = join(project.dir, 'size');
  mkdirSync(dir);
  writeFileSync(join(dir, 'core.js'), CORE_IMPORT);
  const measured = [{ name: '{ expose, connect, transfer } from portwire', source: 'size/core.js' }];
  for (const entry of entries) {
    writeFileSync(join(dir, `${entry.slug}.js`), `export * from '${entry.specifier}';\n`);
    measured.push({ name: `${entry.specifier} (whole entry)`, source: `size/${entry.slug}.js` });
  }
  const sizes = await measureEntries(measured, { projectRoot: project.dir, outDir: join(project.tempRoot, 'size-out/') });
  console.log(formatSizes(sizes).replace(/^/gm, '      '));
  const core = sizes[0];
  report.check(
    `size: ${core.name} is ${core.brotli} B brotli (budget ${CORE_BUDGET} B)`,
    core.brotli <= CORE_BUDGET,
    `${core.brotli - CORE_BUDGET} B over budget`,
  );
}

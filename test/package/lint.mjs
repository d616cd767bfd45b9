import { join } from 'node:path';
import { exec } from './exec.mjs';
import { repoRoot } from './project.mjs';

const bin = (name) => join(repoRoot, 'node_modules/.bin', name);

/** Step 5: publint (warnings count) and Are the Types Wrong (esm-only profile) on the tarball. */
export async function checkLint(project, report) {
  const publint = await exec(bin('publint'), ['run', project.tarball, '--strict'], { cwd: project.tempRoot });
  // publint exits 0 on suggestions; clean means no "Suggestions:" (or worse) heading at all.
  const publintClean = publint.code === 0 && !/^(Errors|Warnings|Suggestions):/m.test(publint.output);
  report.check('publint --strict on the tarball', publintClean, publint.output);

  const attw = await exec(bin('attw'), [project.tarball, '--profile', 'esm-only', '--no-color', '--no-emoji'], {
    cwd: project.tempRoot,
  });
  report.check('attw --profile esm-only on the tarball', attw.code === 0, attw.output);
}

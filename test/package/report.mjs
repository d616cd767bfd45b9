// PASS/FAIL lines as the checks go, and the closing `N passed, M failed` line CI looks for.
export function createReport() {
  let passed = 0;
  let failed = 0;
  const indent = (text) => String(text).trim().replace(/^/gm, '      ');
  return {
    pass(name, detail) {
      passed++;
      console.log(`PASS  ${name}${detail ? `  (${detail})` : ''}`);
    },
    fail(name, detail) {
      failed++;
      console.log(`FAIL  ${name}`);
      if (detail) console.log(indent(detail));
    },
    /** PASS when `ok`; otherwise FAIL with `detail`, shown only then. */
    check(name, ok, detail) {
      if (ok) this.pass(name);
      else this.fail(name, detail);
    },
    skip(name, why) {
      console.log(`SKIP  ${name}  (${why})`);
    },
    section(title) {
      console.log(`\n— ${title}`);
    },
    /** Prints the closing line; true when nothing failed. */
    finish() {
      console.log(`\n${passed} passed, ${failed} failed`);
      return failed === 0;
    },
  };
}

// Finds an Electron binary the way the `electron` package's own index.js does, without loading
// that file (outside Electron it only returns a path, and may try to download one):
// ELECTRON_OVERRIDE_DIST_PATH first, then the package's dist/ named by its path.txt.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = fileURLToPath(new URL('../node_modules/electron/', import.meta.url));
const platformBinary = { darwin: 'Electron.app/Contents/MacOS/Electron', win32: 'electron.exe' }[process.platform] ?? 'electron';

/** { path } of an Electron binary that exists, or { path: undefined, why } saying what was looked at. */
export function findElectron() {
  const pathTxt = join(pkg, 'path.txt');
  const executable = existsSync(pathTxt) ? readFileSync(pathTxt, 'utf8').trim() : platformBinary;
  const looked = [];
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const candidate = join(override, executable);
    if (existsSync(candidate)) return { path: candidate };
    looked.push(`ELECTRON_OVERRIDE_DIST_PATH has no ${executable} (${candidate})`);
  }
  const candidate = join(pkg, 'dist', executable);
  if (existsSync(candidate)) return { path: candidate };
  if (!existsSync(pkg)) looked.push('the electron package is not installed (npm install)');
  else looked.push(`${candidate} does not exist: the electron package's postinstall download did not run (package.json allowScripts denies it; run \`node node_modules/electron/install.js\` where the download is allowed), or set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron build`);
  return { path: undefined, why: looked.join('; ') };
}

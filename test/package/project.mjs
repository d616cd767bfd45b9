import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exec } from './exec.mjs';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * `npm pack`s the repo into a temp dir and installs the tarball into a fresh ESM project there,
 * the way a user gets it. Resolves to { tarball, dir (the project), tempRoot, remove() }.
 */
export async function createProject() {
  const tempRoot = mkdtempSync(join(tmpdir(), 'portwire-package-'));
  const remove = () => rmSync(tempRoot, { recursive: true, force: true });
  try {
    const packed = await exec('npm', ['pack', '--json', '--pack-destination', tempRoot], { cwd: repoRoot });
    if (packed.code !== 0) throw new Error(`npm pack failed:\n${packed.output}`);
    const tarball = join(tempRoot, JSON.parse(packed.stdout)[0].filename);

    const dir = join(tempRoot, 'app');
    mkdirSync(dir);
    const manifest = { name: 'portwire-consumer', version: '0.0.0', private: true, type: 'module' };
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    // portwire has no dependencies, so installing its tarball needs no registry.
    const installed = await exec('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir });
    if (installed.code !== 0) throw new Error(`npm install of the tarball failed:\n${installed.output}`);
    return { tarball, dir, tempRoot, remove };
  } catch (error) {
    remove();
    throw error;
  }
}

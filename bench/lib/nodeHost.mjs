import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { cacheDir, resultsDir } from './paths.mjs';

/**
 * Runs the suite in a child Node with --expose-gc (its workers inherit the flag). With `profile`,
 * also --cpu-prof: one .cpuprofile per thread in bench/results/profiles/.
 */
export async function runNodeHost(files, config, { profile = false } = {}) {
  const out = `${cacheDir}node-result.json`;
  rmSync(out, { force: true });
  const flags = ['--expose-gc'];
  if (profile) {
    const dir = `${resultsDir}profiles/node/`;
    mkdirSync(dir, { recursive: true });
    flags.push('--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=200');
  }
  const child = spawn(process.execPath, [...flags, files.nodeMain, JSON.stringify(config), files.nodeWorker, out], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`the Node host exited with ${code}`);
  return { ...JSON.parse(readFileSync(out, 'utf8')), version: process.version };
}

// npm run electron: checks for an Electron binary (before building anything), builds the demo
// and starts it. Where no binary exists it says so and exits 1.
import { spawn } from 'node:child_process';
import { findElectron } from './binary.mjs';
import { buildApp } from './build.mjs';

const electron = findElectron();
if (!electron.path) {
  console.error(`npm run electron: no Electron binary to start the demo with.\n  ${electron.why}`);
  process.exit(1);
}
const app = await buildApp();
// Chromium refuses to run as root with its sandbox on (containers, CI).
const args = [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), app, ...process.argv.slice(2)];
const child = spawn(electron.path, args, { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

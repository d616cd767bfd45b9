import { spawn } from 'node:child_process';

/** Runs a command to completion; never throws. Resolves to { code, stdout, stderr, output }. */
export function exec(command, args, { cwd, timeout = 60_000 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, timeout, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', (error) => resolve({ code: 1, stdout, stderr: `${stderr}${error.message}`, output: `${stdout}${stderr}${error.message}` }));
    child.on('close', (code, signal) => {
      if (signal) stderr += `\n(killed by ${signal}${signal === 'SIGTERM' ? `, over ${timeout} ms?` : ''})`;
      resolve({ code: code ?? 1, stdout, stderr, output: `${stdout}${stderr}` });
    });
  });
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exec } from './exec.mjs';
import { repoRoot } from './project.mjs';

// The resolutions users compile with. Node projects get no DOM lib; web apps do.
const MODES = [
  { moduleResolution: 'bundler', module: 'esnext', lib: ['ES2022', 'DOM'] },
  { moduleResolution: 'node16', module: 'node16', lib: ['ES2022'] },
  { moduleResolution: 'nodenext', module: 'nodenext', lib: ['ES2022'] },
];

// One consumer per entry. Each @ts-expect-error line is an error only when portwire's own types
// are resolved: were they missing or `any`, the directive would be unused, which fails (TS2578).
const consumer = (specifier) => `import { connect, type Remote } from '${specifier}';

interface Api {
  add(a: number, b: number): number;
  count(to: number): AsyncGenerator<number>;
}

declare const endpoint: Parameters<typeof connect>[0];
const remote: Remote<Api> = connect<Api>(endpoint);

export const sum: number = await remote.add(1, 2);
// @ts-expect-error add answers a number
export const wrong: string = await remote.add(1, 2);

for await (const n of remote.count(3)) {
  // @ts-expect-error the stream yields numbers
  const text: string = n;
}
`;

/** Step 3: a consumer of every entry type-checks under bundler, node16 and nodenext. */
export async function checkTypes(project, report, entries) {
  mkdirSync(join(project.dir, 'types'));
  for (const entry of entries) writeFileSync(join(project.dir, 'types', `${entry.slug}.ts`), consumer(entry.specifier));
  const files = entries.map((entry) => `types/${entry.slug}.ts`);

  for (const mode of MODES) {
    const config = {
      compilerOptions: {
        ...mode,
        target: 'ES2022',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        // The repo's @types/node, so the temp project downloads nothing.
        typeRoots: [join(repoRoot, 'node_modules/@types')],
        types: ['node'],
      },
      files,
    };
    const configFile = `tsconfig.${mode.moduleResolution}.json`;
    writeFileSync(join(project.dir, configFile), JSON.stringify(config, null, 2));
    const run = await exec(join(repoRoot, 'node_modules/.bin/tsc'), ['-p', configFile, '--pretty', 'false'], {
      cwd: project.dir,
      timeout: 60_000,
    });
    const name = `types resolve for ${entries.map((e) => e.specifier).join(', ')} under moduleResolution ${mode.moduleResolution}`;
    report.check(name, run.code === 0, run.output);
  }
}

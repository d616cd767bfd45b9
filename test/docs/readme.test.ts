/**
 * Type-checks the TypeScript examples in README.md against the library's real types, so the README
 * cannot drift from the API. The rules:
 *
 * 1. Every fenced block whose info string is `ts` (```ts) is checked; ```sh, ```js, ```text and
 *    plain ``` blocks are not (one passing test lists them, so nothing is left out unseen).
 * 2. A block whose first line is a comment naming a file (`// worker.ts`, `// src/main.ts`) is that
 *    file. Consecutive named blocks in one section (between two headings) are one small project in
 *    one directory, so page.ts can `import type { Api } from './worker'`; an unnamed ```ts block or
 *    a file name seen already in the project starts a new one. An unnamed block is a module of its
 *    own, named after its line (`L129.ts`).
 * 3. An HTML comment `<!-- check: ... -->` (it may span several lines) directly before a block, with
 *    only blank lines between, is hidden code put before that block when checking it: declarations
 *    a snippet uses but does not show, e.g.
 *    `<!-- check: declare const remote: import('portwire').Remote<{ rows(q: string): AsyncGenerator<string> }>; -->`.
 *    A check comment that is not directly before a ```ts block is an error.
 * 4. `portwire` and each `portwire/<entry>` that package.json exports resolve to src/index.ts and
 *    src/<entry>/index.ts, with tsconfig.json's compiler options (plus `moduleDetection: force`, so
 *    every block is a module and may use top-level await).
 * 5. One test per project or unnamed block, titled with its README line; a failure lists the
 *    diagnostics at README lines and columns (the hidden code's at the check comment's lines).
 * 6. The README must contain at least one checked block, and unclosed fences and check comments,
 *    file names outside the project and diagnostics outside the examples fail as well.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const markdownFile = join(repo, 'README.md');
const shown = relative(repo, markdownFile).startsWith('..') ? markdownFile : relative(repo, markdownFile);

/** One line of a file handed to the compiler, and where it comes from in the markdown. */
interface SourceLine {
  text: string;
  /** 1-based markdown line. */
  line: number;
  /** How many characters of the markdown line precede `text` (indentation, `<!-- check:`). */
  column: number;
}

interface ExampleFile {
  name: string;
  /** The line of the block's opening fence. */
  line: number;
  lines: SourceLine[];
}

interface Project {
  title: string;
  /** Directory of the project, relative to the temp root. */
  dir: string;
  files: ExampleFile[];
}

interface Parsed {
  projects: Project[];
  unchecked: string[];
  problems: string[];
}

function parseMarkdown(markdown: string): Parsed {
  const lines = markdown.split(/\r?\n/);
  const problems: string[] = [];
  const unchecked: string[] = [];
  const blocks: { line: number; section: number; heading: string; prelude: SourceLine[]; body: SourceLine[] }[] = [];
  let section = 0;
  let heading = '(top)';
  let check: { line: number; lines: SourceLine[] } | undefined;
  const stray = (c: { line: number }, why: string) =>
    problems.push(`${shown}:${c.line}: this <!-- check: --> comment ${why}; it must be directly before a \`\`\`ts block (only blank lines between)`);

  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    const fence = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(text);
    if (fence && !(fence[2]!.startsWith('`') && fence[3]!.includes('`'))) {
      const indent = fence[1]!.length;
      const marker = fence[2]!;
      const lang = fence[3]!.trim().split(/\s+/)[0] ?? '';
      const close = new RegExp(`^\\s*${marker[0]}{${marker.length},}\\s*$`);
      let end = i + 1;
      while (end < lines.length && !close.test(lines[end]!)) end++;
      if (end === lines.length) problems.push(`${shown}:${i + 1}: this code fence is never closed`);
      const body = lines.slice(i + 1, end).map((line, k) => {
        const strip = Math.min(indent, /^ */.exec(line)![0].length);
        return { text: line.slice(strip), line: i + 2 + k, column: strip };
      });
      if (lang === 'ts') blocks.push({ line: i + 1, section, heading, prelude: check?.lines ?? [], body });
      else {
        unchecked.push(`${i + 1} (${lang || 'plain'})`);
        if (check) stray(check, `is before a \`\`\`${lang} block, which is not checked`);
      }
      check = undefined;
      i = end;
      continue;
    }
    const start = /^\s*<!--\s*check\b(:?)/.exec(text);
    if (start) {
      if (check) stray(check, 'is followed by another one');
      if (!start[1]) problems.push(`${shown}:${i + 1}: write the comment as <!-- check: ... --> (with the colon)`);
      const hidden: SourceLine[] = [];
      let j = i;
      for (; j < lines.length; j++) {
        const from = j === i ? start[0].length : 0;
        const at = lines[j]!.indexOf('-->', from);
        hidden.push({ text: lines[j]!.slice(from, at >= 0 ? at : undefined), line: j + 1, column: from });
        if (at < 0) continue;
        if (lines[j]!.slice(at + 3).trim()) problems.push(`${shown}:${j + 1}: nothing may follow the --> of a check comment on its line`);
        break;
      }
      if (j === lines.length) problems.push(`${shown}:${i + 1}: this <!-- check: comment is never closed with -->`);
      check = { line: i + 1, lines: hidden };
      i = j;
      continue;
    }
    const title = /^\s{0,3}#{1,6}(?:\s+(.*?))?\s*#*\s*$/.exec(text);
    if (title) {
      section++;
      heading = title[1] ?? '';
    }
    if (check && text.trim()) {
      stray(check, 'is followed by text');
      check = undefined;
    }
  }
  if (check) stray(check, 'is at the end of the file');

  const projects: Project[] = [];
  const titled = (heading: string, files: ExampleFile[]) => {
    const [first, ...rest] = files;
    const names = /^L\d+\.ts$/.test(first!.name) ? '' : ` ${[first!.name, ...rest.map((file) => `${file.name} (line ${file.line})`)].join(' + ')}`;
    return `${shown}:${first!.line}${names} [${heading}]`;
  };
  let open: { project: Project; section: number; heading: string } | undefined;
  for (const block of blocks) {
    const lines = [...block.prelude, ...block.body];
    const named = /^\s*\/\/\s*(\S+\.ts)(?=\s|$)/.exec(block.body[0]?.text ?? '')?.[1];
    const name = named && posix.normalize(named);
    if (name && (name.startsWith('/') || name.startsWith('../'))) {
      problems.push(`${shown}:${block.line + 1}: the file name ${named} must stay inside the example's directory`);
      open = undefined;
    } else if (name) {
      if (!open || open.section !== block.section || open.project.files.some((file) => file.name === name)) {
        open = { project: { title: '', dir: `L${block.line}`, files: [] }, section: block.section, heading: block.heading };
        projects.push(open.project);
      }
      open.project.files.push({ name, line: block.line, lines });
      open.project.title = titled(open.heading, open.project.files);
    } else {
      open = undefined;
      const files = [{ name: `L${block.line}.ts`, line: block.line, lines }];
      projects.push({ title: titled(block.heading, files), dir: `L${block.line}`, files });
    }
  }
  return { projects, unchecked, problems };
}

const markdown = readFileSync(markdownFile, 'utf8');
const markdownLines = markdown.split(/\r?\n/);
const parsed = parseMarkdown(markdown);

/** tsconfig.json's options, with the package's entries mapped to src and every file a module. */
function compilerOptions(): ts.CompilerOptions {
  const configFile = join(repo, 'tsconfig.json');
  const read = ts.readConfigFile(configFile, ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  // Only its options matter here: `files: []` keeps it from listing the repo (TS18002 says it is empty).
  const config = ts.parseJsonConfigFileContent({ ...read.config, include: undefined, files: [] }, ts.sys, repo, undefined, configFile);
  const errors = config.errors.filter((error) => error.code !== 18002);
  if (errors.length) throw new Error(errors.map((error) => ts.flattenDiagnosticMessageText(error.messageText, '\n')).join('\n'));

  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { name: string; exports: Record<string, unknown> };
  const paths: Record<string, string[]> = {};
  for (const key of Object.keys(pkg.exports)) {
    if (key.endsWith('.json')) continue;
    const entry = key === '.' ? '' : key.replace(/^\.\//, '');
    // The entry's declarations name its source: ./dist/node/index.d.ts is src/node/index.ts.
    const types = typesOf(pkg.exports[key]);
    if (!types) throw new Error(`package.json exports ${key} without a "types" condition`);
    const source = join(repo, 'src', types.replace(/^\.\/dist\//, '').replace(/\.d\.c?ts$/, '.ts'));
    if (!existsSync(source)) throw new Error(`package.json exports ${key}, but ${relative(repo, source)} does not exist`);
    paths[entry ? `${pkg.name}/${entry}` : pkg.name] = [source];
  }
  // Anything else an example imports (`electron`, say) comes from the repo's own node_modules.
  paths['*'] = [join(repo, 'node_modules', '*')];
  return {
    ...config.options,
    noEmit: true,
    moduleDetection: ts.ModuleDetectionKind.Force,
    paths,
    typeRoots: [join(repo, 'node_modules/@types')],
  };
}

let root = '';
const written = new Map<string, ExampleFile>();
const byProject = new Map<Project, ts.Diagnostic[]>();
const elsewhere: ts.Diagnostic[] = [];

function compile(): void {
  root = mkdtempSync(join(tmpdir(), 'portwire-readme-'));
  const owner = new Map<string, Project>();
  for (const project of parsed.projects) {
    byProject.set(project, []);
    for (const file of project.files) {
      const path = resolve(root, project.dir, file.name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, `${file.lines.map((line) => line.text).join('\n')}\n`);
      written.set(path, file);
      owner.set(path, project);
    }
  }
  const program = ts.createProgram([...written.keys()], compilerOptions());
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const project = diagnostic.file && owner.get(resolve(diagnostic.file.fileName));
    if (project) byProject.get(project)!.push(diagnostic);
    else elsewhere.push(diagnostic);
  }
}

/** `README.md:37:40 error TS2304: Cannot find name 'isPrime'.`, then the markdown line with a caret. */
function describeDiagnostic(diagnostic: ts.Diagnostic): { line: number; text: string } {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n').replaceAll('\n', '\n    ');
  const file = diagnostic.file && written.get(resolve(diagnostic.file.fileName));
  if (!file || !diagnostic.file || diagnostic.start === undefined) {
    const where = diagnostic.file ? `${relative(repo, diagnostic.file.fileName)}: ` : '';
    return { line: 0, text: `${where}error TS${diagnostic.code}: ${message}` };
  }
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  // Past the last line (the newline the file ends with) counts as the end of the last line.
  const source = file.lines[line] ?? file.lines.at(-1);
  if (!source) return { line: file.line, text: `${shown}:${file.line} error TS${diagnostic.code}: ${message}` };
  const column = source.column + (file.lines[line] ? character : source.text.length);
  const hidden = source.line < file.line ? ' (in the check comment)' : '';
  const gutter = `${source.line} | `;
  return {
    line: source.line,
    text:
      `${shown}:${source.line}:${column + 1} error TS${diagnostic.code}${hidden}: ${message}\n` +
      `    ${gutter}${markdownLines[source.line - 1] ?? ''}\n` +
      `    ${' '.repeat(gutter.length + column)}^`,
  };
}

function report(diagnostics: readonly ts.Diagnostic[]): string {
  const described = diagnostics.map(describeDiagnostic).sort((a, b) => a.line - b.line);
  return `${described.length} TypeScript error(s):\n\n${described.map((entry) => entry.text).join('\n\n')}\n`;
}

describe(`TypeScript examples in ${shown}`, () => {
  beforeAll(compile, 60_000);
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  // The title lists what is not checked, so that a block left out is seen, not skipped silently.
  const unchecked = parsed.unchecked.map((entry) => `line ${entry}`).join(', ') || 'none';
  it(`checks at least one \`\`\`ts block (not \`\`\`ts, so not checked: ${unchecked})`, () => {
    expect(written.size).toBeGreaterThan(0);
  });

  it('has well-formed fences, check comments and file names', () => {
    if (parsed.problems.length) throw new Error(parsed.problems.join('\n'));
  });

  it('compiles the library and the compiler options without errors', () => {
    if (elsewhere.length) throw new Error(report(elsewhere));
  });

  for (const project of parsed.projects) {
    it(project.title, () => {
      const diagnostics = byProject.get(project) ?? [];
      if (diagnostics.length) throw new Error(report(diagnostics));
    });
  }
});

/** The `types` path of one package.json `exports` entry, however its conditions nest. */
function typesOf(target: unknown): string | undefined {
  if (typeof target !== 'object' || target === null) return undefined;
  for (const [condition, value] of Object.entries(target)) {
    if (condition === 'types' && typeof value === 'string') return value;
    const nested = typesOf(value);
    if (nested) return nested;
  }
  return undefined;
}

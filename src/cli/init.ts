import type { Command } from 'commander';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { schemasDir } from '../config/index.js';
import { writeFileAtomic } from '../upstream/index.js';
import { type CliCommand } from './command.js';
import { CLEAN, inputError } from './exit.js';
import { TOOL } from './tool-info.js';

/** Template files whose names npm would drop or act on, stored under another name. */
const RENAMED: Record<string, string> = { gitignore: '.gitignore' };

/** Stands for the package version in the templates (the workflows' FALCO_GITOPS_VERSION); init writes its own. */
export const VERSION_PLACEHOLDER = '__FALCO_GITOPS_VERSION__';

export const initCommand: CliCommand = {
  name: 'init',
  register(program: Command, io, done) {
    program
      .command('init')
      .description('Scaffold a rules repository (config, schemas, demo upstream rules, organisation rules, staging and production environments, workflows) that validates and builds at once')
      .argument('[dir]', 'where to create it (default: the current directory)', '.')
      .addHelpText(
        'after',
        `
Existing files are never overwritten: if any file would be, nothing is written.
The workflows (.github/workflows/pr.yaml, release.yaml, upstream.yaml) run this very release of
falco-gitops with npx (FALCO_GITOPS_VERSION at the top of each); set your registry in
falco-gitops.yaml before the first release.

Examples:
  falco-gitops init falco-rules && cd falco-rules && falco-gitops validate && falco-gitops build
  falco-gitops init .

Exit codes: 0 created · 2 a file already exists, or usage error`,
      )
      .action(async (dir: string) => {
        const target = resolve(io.cwd, dir);
        const files = scaffoldFiles();
        const existing = [...files.keys()].filter((path) => existsSync(join(target, path)));
        if (existing.length > 0) {
          for (const path of existing) io.stderr(`${posix.join(dir, path)}: already exists\n`);
          done(inputError(`init: not creating anything in '${dir}': ${existing.length} file(s) already exist`));
          return;
        }
        for (const [path, content] of files) await writeFileAtomic(join(target, path), content);
        io.stdout(`created ${files.size} files in ${relative(io.cwd, target) || '.'}\n`);
        io.stdout('next: falco-gitops validate && falco-gitops build --out out\n');
        done(CLEAN);
      });
  },
};

/** Repository-relative path -> content: the templates (workflows included, running `version`) and the JSON Schemas. */
export function scaffoldFiles(version: string = TOOL.version): Map<string, Buffer> {
  const schemas = schemasDir();
  const packageRoot = dirname(schemas);
  const files = new Map<string, Buffer>();
  for (const path of listFiles(join(packageRoot, 'templates'))) {
    const base = posix.basename(path);
    const renamed = RENAMED[base] ? posix.join(posix.dirname(path), RENAMED[base]).replace(/^\.\//, '') : path;
    const content = readFileSync(join(packageRoot, 'templates', path));
    files.set(renamed, content.includes(VERSION_PLACEHOLDER) ? Buffer.from(content.toString('utf8').replaceAll(VERSION_PLACEHOLDER, version)) : content);
  }
  for (const path of listFiles(schemas)) files.set(posix.join('schemas', path), readFileSync(join(schemas, path)));
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The installed package's own version (its package.json sits beside schemas/ and templates/). */
function listFiles(dir: string, prefix = ''): string[] {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const rel = prefix === '' ? entry.name : posix.join(prefix, entry.name);
    if (entry.isDirectory()) return listFiles(join(dir, entry.name), rel);
    return entry.isFile() ? [rel] : [];
  });
}

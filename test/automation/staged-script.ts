import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RELATIVE_IMPORT = /\bfrom\s+'(\.{1,2}\/[^']+)'/g;

/**
 * Copies scripts/NAME into a temporary project root and compiles, from src/, every module it
 * imports from dist/ (and theirs), so a test runs the real script on the current sources without a
 * prior `npm run build`. Returns the staged script's path.
 */
export function stageScript(name: string): { dir: string; script: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fg-script-'));
  const script = join(dir, 'scripts', name);
  const text = readFileSync(join(ROOT, 'scripts', name), 'utf8');
  mkdirSync(dirname(script), { recursive: true });
  writeFileSync(script, text);
  const done = new Set<string>();
  const emit = (fromFile: string, source: string) => {
    for (const [, specifier] of source.matchAll(RELATIVE_IMPORT)) {
      const target = resolve(dirname(fromFile), specifier!);
      const inProject = relative(dir, target);
      if (done.has(inProject)) continue;
      done.add(inProject);
      if (!inProject.startsWith('dist/src/') || !inProject.endsWith('.js'))
        throw new Error(`${name} imports ${specifier}, which is not a compiled source module`);
      const tsPath = join(ROOT, inProject.slice('dist/'.length).replace(/\.js$/, '.ts'));
      const compiled = ts.transpileModule(readFileSync(tsPath, 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
        fileName: tsPath,
      }).outputText;
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, compiled);
      emit(target, compiled);
    }
  };
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  emit(script, text);
  return { dir, script };
}

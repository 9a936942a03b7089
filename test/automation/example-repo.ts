import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's own example rules repository (config, rules, environments), as path -> text. */
export function exampleRepository(): Record<string, string> {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else files[rel] = readFileSync(join(root, rel), 'utf8');
    }
  };
  walk('rules');
  walk('environments');
  files['falco-gitops.yaml'] = readFileSync(join(root, 'falco-gitops.yaml'), 'utf8');
  return files;
}

/** Replaces one exact piece of a file's text; fails loudly when the example changed underneath. */
export function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`example text not found: ${from}`);
  return text.replace(from, to);
}

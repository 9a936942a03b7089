import { exampleRepoFiles } from '../environment/temp-repo.js';
import { REPO_ROOT } from '../helpers/shared.js';

/** The project's own example rules repository (config, rules, environments), as path -> text. */
export function exampleRepository(): Record<string, string> {
  return exampleRepoFiles(REPO_ROOT);
}

/** Replaces one exact piece of a file's text; fails loudly when the example changed underneath. */
export function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`example text not found: ${from}`);
  return text.replace(from, to);
}

/**
 * One size rule, checked before reading, wherever a repository file is read: a layer, a file a glob
 * matches, an environment file, a rule test file, and a file named to `compile`. The files here are
 * sparse: 200 MB and 600 MB on disk cost nothing, and reading one would show as a crash or a stall.
 */
import { truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { removeTempRepo, writeTempRepo } from '../environment/temp-repo.js';

const LIMIT = 16 * 1024 * 1024;
const MB = 1024 * 1024;
const RULE = '- rule: R\n  desc: d\n  condition: evt.type = execve and proc.name = sh\n  output: "%proc.name"\n  priority: WARNING\n';
const env = (...layers: string[]) => `version: 1.0.0\nlayers:\n${layers.map((l) => `  - ${l}\n`).join('')}artifact:\n  name: falco-rules-prod\n`;

const roots: string[] = [];
afterAll(() => roots.forEach(removeTempRepo));

/** A repository whose `big` file is grown, sparse, to `bytes`. */
function repo(files: Record<string, string>, big: string, bytes: number): string {
  const root = writeTempRepo({ [big]: '', ...files });
  truncateSync(join(root, big), bytes);
  roots.push(root);
  return root;
}

describe('read size', () => {
  it.each([
    ['a named layer of 200 MB', ['rules/big.yaml'], 200 * MB],
    ['a named layer of 600 MB', ['rules/big.yaml'], 600 * MB],
    ['a glob match of 200 MB', ['rules/*.yaml'], 200 * MB],
  ])('%s is refused by size before it is read', async (_, layers, bytes) => {
    const r = await run(['validate'], { cwd: repo({ 'environments/prod/environment.yaml': env(...layers), 'rules/a.yaml': RULE }, 'rules/big.yaml', bytes) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`environments/prod/environment.yaml:3:5: error CONFIG_ERROR: layer`);
    expect(r.stderr).toContain(`'rules/big.yaml' is ${bytes} bytes, more than the ${LIMIT}-byte limit for a rules file`);
  });

  it('a file at the limit is read (the limit is inclusive)', async () => {
    const root = repo({ 'environments/prod/environment.yaml': env('rules/*.yaml'), 'rules/a.yaml': RULE }, 'rules/padded.yaml', LIMIT);
    const r = await run(['validate', '--format', 'json'], { cwd: root });
    // read and handed to the rules reader, which names it in what it reports
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('rules/padded.yaml');
  });

  it('an environment file over the limit is a configuration error', async () => {
    const r = await run(['validate'], { cwd: repo({ 'rules/a.yaml': RULE }, 'environments/prod/environment.yaml', 200 * MB) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `environments/prod/environment.yaml:1:1: error CONFIG_ERROR: refused: 'environments/prod/environment.yaml' is ${200 * MB} bytes`,
    );
  });

  it('a rule test file over the limit is an input error of that file', async () => {
    const r = await run(['test'], {
      cwd: repo({ 'environments/prod/environment.yaml': env('rules/a.yaml'), 'rules/a.yaml': RULE }, 'rules/tests/big.yaml', 200 * MB),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`rules/tests/big.yaml:1:1: error INPUT_ERROR: refused: 'rules/tests/big.yaml' is ${200 * MB} bytes`);
  });

  it('compile applies the same limit to the files it is given', async () => {
    const r = await run(['compile', 'big.yaml'], { cwd: repo({}, 'big.yaml', 200 * MB) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`big.yaml: file is ${200 * MB} bytes, more than the ${LIMIT}-byte limit for a rules file`);
  });
});

/**
 * A pull request can add symbolic links. Nothing that resolves outside the repository is read: a
 * layer, a file a glob matches, or a glob's folder that is such a link is refused with an error
 * naming the link. Links that stay inside are followed, whether named or matched by a glob.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { removeTempRepo, writeTempRepo } from '../environment/temp-repo.js';

const rule = (name: string) =>
  `- rule: ${name}\n  desc: d\n  condition: evt.type = execve and proc.name = ${name.toLowerCase()}\n  output: "%proc.name"\n  priority: WARNING\n`;
const env = (...layers: string[]) => `version: 1.0.0\nlayers:\n${layers.map((l) => `  - ${l}\n`).join('')}artifact:\n  name: falco-rules-prod\n`;

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeTempRepo));

let outside: string;
beforeEach(() => {
  outside = mkdtempSync(join(tmpdir(), 'fg-outside-'));
  dirs.push(outside);
  writeFileSync(join(outside, 'secret.yaml'), rule('Secret'));
  mkdirSync(join(outside, 'dir'));
  writeFileSync(join(outside, 'dir', 'x.yaml'), rule('Outside'));
});

function repo(layers: string[], links: Record<string, string>): string {
  const root = writeTempRepo({ 'environments/prod/environment.yaml': env(...layers), 'rules/a.yaml': rule('Inside') });
  dirs.push(root);
  for (const [path, target] of Object.entries(links)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    symlinkSync(target.replace('OUTSIDE', outside), join(root, path));
  }
  return root;
}

async function validate(root: string) {
  return run(['validate', '--format', 'json'], { cwd: root });
}

describe('files outside the repository', () => {
  it('a layer that is a link to a file outside is refused, naming the link', async () => {
    const r = await validate(repo(['rules/evil.yaml'], { 'rules/evil.yaml': 'OUTSIDE/secret.yaml' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `environments/prod/environment.yaml:3:5: error CONFIG_ERROR: layer 'rules/evil.yaml' is refused: 'rules/evil.yaml' resolves to '${outside}/secret.yaml', outside the repository, through the symbolic link 'rules/evil.yaml -> ${outside}/secret.yaml'`,
    );
    expect(r.stdout + r.stderr).not.toContain('Secret');
  });

  it('a layer below a linked folder is refused at the folder link', async () => {
    const r = await validate(repo(['rules/ext/x.yaml'], { 'rules/ext': 'OUTSIDE/dir' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`through the symbolic link 'rules/ext -> ${outside}/dir'`);
  });

  it('a file matched by a glob that links outside is refused, not skipped', async () => {
    const r = await validate(repo(['rules/*.yaml'], { 'rules/evil.yaml': 'OUTSIDE/secret.yaml' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`layer glob 'rules/*.yaml' is refused: 'rules/evil.yaml' resolves to '${outside}/secret.yaml'`);
  });

  it('a glob whose folder is a link outside is refused', async () => {
    const r = await validate(repo(['ext/*.yaml'], { ext: 'OUTSIDE/dir' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`layer glob 'ext/*.yaml' is refused: 'ext' resolves to '${outside}/dir'`);
  });

  it('a recursive glob that reaches a folder link outside is refused', async () => {
    const r = await validate(repo(['rules/**/*.yaml'], { 'rules/deep/ext': 'OUTSIDE/dir' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`through the symbolic link 'rules/deep/ext -> ${outside}/dir'`);
  });

  it('a link outside that no layer reaches is left alone', async () => {
    const r = await validate(repo(['rules/*.yaml'], { 'docs/outside': 'OUTSIDE/dir', 'rules/notes.md': 'OUTSIDE/secret.yaml' }));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('links that stay inside are followed the same way, named or matched by a glob', async () => {
    const root = repo(['rules/named.yaml', 'rules/sub/*.yaml'], { 'rules/named.yaml': 'a.yaml', 'rules/sub': '../common' });
    mkdirSync(join(root, 'common'));
    writeFileSync(join(root, 'common', 'b.yaml'), rule('Shared'));
    const r = await run(['explain', 'Shared', '--env', 'prod', '--format', 'json'], { cwd: root });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('rules/sub/b.yaml');
    const inside = await run(['explain', 'Inside', '--env', 'prod', '--format', 'json'], { cwd: root });
    expect(inside.code).toBe(0);
    expect(inside.stdout).toContain('rules/named.yaml');
  });

  it('a link loop inside the repository ends', async () => {
    const root = repo(['rules/**/*.yaml'], { 'rules/loop': '.' });
    const r = await validate(root);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

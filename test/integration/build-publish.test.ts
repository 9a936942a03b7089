import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { exampleRepoFiles, removeTempRepo, writeTempRepo } from '../environment/temp-repo.js';
import { run } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { falcoctlIndexValidator } from '../oci/falcoctl-index-schema.js';

const registry = inject('registry');
const suite = registry.available ? describe : describe.skip;
if (!registry.available) console.warn(registry.reason);

interface Published {
  environment: string;
  target: string;
  digest: string;
  blobs: { outcome: string }[];
  tags: { tag: string; action: string }[];
}

suite('build, then publish what it wrote, then pull it back', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach(removeTempRepo));

  /** The project's example repository in a temp dir, published under a namespace of its own. */
  function exampleRepo(): string {
    const files = exampleRepoFiles(REPO_ROOT);
    const config = files['falco-gitops.yaml']!;
    expect(config).toMatch(/registry: ghcr\.io\/acme\n/);
    files['falco-gitops.yaml'] = config.replace(/registry: ghcr\.io\/acme\n/, `registry: ghcr.io/e2e-${process.pid}\n`);
    const root = writeTempRepo(files);
    roots.push(root);
    return root;
  }

  it('every environment round-trips byte for byte; a second build elsewhere publishes nothing new', async () => {
    const first = exampleRepo();
    const built = await run(['build', '--out', 'out', '--format', 'json'], { cwd: first });
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    const environments = (JSON.parse(built.stdout) as { environments: { environment: string; rulesFile?: string }[] }).environments.map((e) => e.environment);
    expect(environments.length).toBeGreaterThan(0);

    const published = await run(['publish', '--registry', registry.open, '--index', 'index.yaml', '--format', 'json'], { cwd: first });
    expect(published.code).toBe(0);
    const artifacts = JSON.parse(published.stdout).artifacts as Published[];
    expect(artifacts.map((a) => a.environment).sort()).toEqual([...environments].sort());

    for (const a of artifacts) {
      const reference = a.target.replace(/:[^:/]+$/, '');
      const raw = JSON.parse(execFileSync('skopeo', ['inspect', '--tls-verify=false', '--raw', `docker://${reference}@${a.digest}`], { encoding: 'utf8' }));
      const title = raw.layers[0].annotations['org.opencontainers.image.title'] as string;
      const rulesFileName = title.replace(/\.tar\.gz$/, '');
      const pulled = await run(['pull', `${reference}@${a.digest}`, '--out', join('pulled', a.environment)], { cwd: first });
      expect(pulled.code).toBe(0);
      const original = await readFile(join(first, 'out', a.environment, rulesFileName));
      expect(Buffer.compare(await readFile(join(first, 'pulled', a.environment, rulesFileName)), original)).toBe(0);
    }

    const index = parse(await readFile(join(first, 'index.yaml'), 'utf8')) as { registry: string; repository: string }[];
    expect(falcoctlIndexValidator()(index)).toBe(true);
    expect(index.map((e) => `${e.registry}/${e.repository}`).sort()).toEqual(artifacts.map((a) => a.target.replace(/:[^:/]+$/, '')).sort());

    const second = exampleRepo();
    expect((await run(['build', '--out', 'elsewhere'], { cwd: second })).code).toBe(0);
    const again = await run(['publish', '--layout', 'elsewhere/oci', '--registry', registry.open, '--format', 'json'], { cwd: second });
    expect(again.code).toBe(0);
    const republished = JSON.parse(again.stdout).artifacts as Published[];
    expect(republished.map((a) => [a.environment, a.digest])).toEqual(artifacts.map((a) => [a.environment, a.digest]));
    expect(republished.flatMap((a) => a.blobs.map((b) => b.outcome))).toEqual(republished.flatMap(() => ['present', 'present']));
    expect(republished.flatMap((a) => a.tags.filter((t) => t.action !== 'unchanged' && t.action !== 'held'))).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { suggestFollowInterval } from '../../src/manifests/index.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { captureIO, exampleRepoFiles, readTree, removeTempRepo, writeTempRepo } from '../environment/temp-repo.js';

const FIXTURES = join(REPO_ROOT, 'test/fixtures');
const crd = parse(readFileSync(join(FIXTURES, 'falco-operator/rulesfile-crd.yaml'), 'utf8')) as {
  spec: { versions: { schema: { openAPIV3Schema: object } }[] };
};
const valuesSchema = parse(readFileSync(join(FIXTURES, 'falco-chart/falcoctl-values.schema.yaml'), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true, strict: false });
const validRulesfile = ajv.compile(crd.spec.versions[0]!.schema.openAPIV3Schema);
const validValues = ajv.compile(valuesSchema);

/** Config keys falcoctl reads (viper: case-insensitive), from its README and config package. */
const FALCOCTL_KEYS = new Set([
  'indexes',
  'registry',
  'artifact',
  'artifact.allowedtypes',
  'artifact.install',
  'artifact.install.refs',
  'artifact.install.rulesfilesdir',
  'artifact.install.pluginsdir',
  'artifact.install.resolvedeps',
  'artifact.install.statedir',
  'artifact.follow',
  'artifact.follow.refs',
  'artifact.follow.every',
  'artifact.follow.falcoversions',
  'artifact.follow.rulesfilesdir',
  'artifact.follow.pluginsdir',
  'artifact.follow.statedir',
]);

function keyPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
    const path = `${prefix}${k.toLowerCase()}`;
    return [path, ...(path === 'indexes' || path === 'registry' ? [] : keyPaths(v, `${path}.`))];
  });
}

let root: string;
beforeAll(async () => {
  root = writeTempRepo(exampleRepoFiles(REPO_ROOT));
  expect(await runCli(['build', '--out', 'out'], captureIO(root))).toBe(0);
});
afterAll(() => removeTempRepo(root));

describe('falco-gitops manifests', () => {
  it('writes one folder per environment and delivery path, pinned to the built digest', async () => {
    const io = captureIO(root);
    expect(await runCli(['manifests', '--out', 'deploy', '--pin', 'digest', '--pull-secret', 'registry-creds', '--followers', '3000'], io)).toBe(0);
    const tree = readTree(join(root, 'deploy'));
    expect(Object.keys(tree).sort()).toEqual([
      'production/falcoctl/falcoctl.yaml',
      'production/helm/values.yaml',
      'production/operator/kustomization.yaml',
      'production/operator/rulesfile.yaml',
      'staging/falcoctl/falcoctl.yaml',
      'staging/helm/values.yaml',
      'staging/operator/kustomization.yaml',
      'staging/operator/rulesfile.yaml',
    ]);
    const index = JSON.parse(readFileSync(join(root, 'out/oci/index.json'), 'utf8')) as {
      manifests: { digest: string; annotations: Record<string, string> }[];
    };
    const productionDigest = index.manifests.find((m) => m.annotations['org.opencontainers.image.ref.name'] === '1.7.0')!.digest;
    const values = parse(tree['production/helm/values.yaml']!.toString('utf8')) as {
      falcoctl: { config: { artifact: { follow: { refs: string[]; every: string } } } };
      falco: { rules_files: string[] };
    };
    expect(values.falcoctl.config.artifact.follow.refs).toEqual([`ghcr.io/acme/falco-rules-production@${productionDigest}`]);
    expect(values.falcoctl.config.artifact.follow.every).toBe('6h');
    expect(values.falco.rules_files).toEqual(['/etc/falco/falco-rules-production.yaml']);
    const rulesfile = parse(tree['production/operator/rulesfile.yaml']!.toString('utf8')) as {
      spec: { ociArtifact: { image: { repository: string; tag: string }; registry: unknown } };
    };
    expect(rulesfile.spec.ociArtifact.image).toEqual({ repository: 'acme/falco-rules-production', tag: productionDigest });
    expect(rulesfile.spec.ociArtifact.registry).toEqual({ name: 'ghcr.io', auth: { secretRef: { name: 'registry-creds' } } });
  });

  it('renders Helm values that pass the chart keys schema, and the schema refuses a key the chart lacks', async () => {
    const io = captureIO(root);
    expect(await runCli(['manifests', '--for', 'helm', '--env', 'staging', '--format', 'json'], io)).toBe(0);
    const out = JSON.parse(io.out()) as { data: { environments: { files: { path: string; content: string }[] }[] } };
    const values = parse(out.data.environments[0]!.files[0]!.content) as Record<string, Record<string, unknown>>;
    expect(validValues(values), JSON.stringify(validValues.errors)).toBe(true);
    const misspelt = structuredClone(values);
    (misspelt['falcoctl']!['config'] as Record<string, Record<string, unknown>>)['artifact']!['allowedtypes'] = ['rulesfile'];
    expect(validValues(misspelt)).toBe(false);
  });

  it('renders a Rulesfile the operator CRD schema accepts, and the schema refuses the wrong shape', async () => {
    const io = captureIO(root);
    expect(await runCli(['manifests', '--for', 'operator', '--format', 'json', '--registry', '127.0.0.1:5000', '--plain-http'], io)).toBe(0);
    const out = JSON.parse(io.out()) as { data: { environments: { files: { path: string; content: string }[] }[] } };
    for (const env of out.data.environments) {
      const doc = parse(env.files.find((f) => f.path.endsWith('rulesfile.yaml'))!.content) as { spec: { ociArtifact: Record<string, unknown> } };
      expect(validRulesfile(doc), JSON.stringify(validRulesfile.errors)).toBe(true);
      expect(doc.spec.ociArtifact['registry']).toEqual({ name: '127.0.0.1:5000', plainHTTP: true });
      // the v0.1 shape (ociArtifact.reference and pullSecret) is not the published API any more
      const flat = structuredClone(doc);
      flat.spec.ociArtifact = { reference: '127.0.0.1:5000/acme/x:1.0.0' };
      expect(validRulesfile(flat)).toBe(false);
      const v01 = structuredClone(doc);
      v01.spec.ociArtifact['pullSecret'] = { secretName: 'registry-creds' };
      expect(validRulesfile(v01)).toBe(false);
      // plainHTTP and tls together break the CRD's CEL rule
      const both = structuredClone(doc);
      both.spec.ociArtifact['registry'] = { name: '127.0.0.1:5000', plainHTTP: true, tls: { insecureSkipVerify: true } };
      expect(validRulesfile(both)).toBe(false);
      // fields the published API has beside ociArtifact are accepted
      expect(validRulesfile({ ...doc, spec: { ...doc.spec, priority: 40, selector: { matchLabels: { region: 'eu' } } } })).toBe(true);
    }
  });

  it('renders a falcoctl.yaml with only keys falcoctl reads', async () => {
    const io = captureIO(root);
    expect(await runCli(['manifests', '--for', 'falcoctl', '--env', 'production', '--followers', '500000', '--format', 'json'], io)).toBe(0);
    const out = JSON.parse(io.out()) as { data: { follow: { every: string }; environments: { files: { content: string }[] }[] } };
    const config = parse(out.data.environments[0]!.files[0]!.content) as { artifact: { follow: { every: string; refs: string[] } } };
    expect(keyPaths(config).filter((k) => !FALCOCTL_KEYS.has(k))).toEqual([]);
    expect(config.artifact.follow.refs).toEqual(['ghcr.io/acme/falco-rules-production:1.7.0']);
    // a fleet this large is capped at falcoctl's own default
    expect(config.artifact.follow.every).toBe('168h');
    expect(out.data.follow.every).toBe('168h');
  });

  it('refuses bad usage with exit 2 and a clear message', async () => {
    for (const args of [
      ['--for', 'kubectl'],
      ['--pin', 'latest'],
      ['--env', 'nowhere'],
      ['--followers', '0'],
      ['--pull-secret', 'Bad_Name'],
    ]) {
      const io = captureIO(root);
      expect(await runCli(['manifests', ...args], io)).toBe(2);
      expect(io.err()).not.toMatch(/\n\s+at /);
    }
    const io = captureIO(root);
    expect(await runCli(['manifests', '--layout', 'missing/oci'], io)).toBe(2);
  });
});

describe('suggestFollowInterval', () => {
  it('keeps the fleet under the hourly budget, between 1h and 168h', () => {
    expect(suggestFollowInterval(10).every).toBe('1h');
    expect(suggestFollowInterval(2000).every).toBe('4h');
    expect(suggestFollowInterval(2001).every).toBe('5h');
    expect(suggestFollowInterval(10_000_000).every).toBe('168h');
    for (const n of [1, 499, 500, 501, 7777, 40_000]) {
      const s = suggestFollowInterval(n, 1000);
      expect((n * 2) / s.hours).toBeLessThanOrEqual(1000);
      if (s.hours > 1) expect((n * 2) / (s.hours - 1)).toBeGreaterThan(1000);
    }
  });
});

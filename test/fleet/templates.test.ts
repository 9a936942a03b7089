import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureIO, removeTempRepo, writeTempRepo } from '../environment/temp-repo.js';
import { ALLOWED_HOSTS_RULES } from './fleet-rules.js';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) removeTempRepo(r);
});

const BASE_RULES = `${ALLOWED_HOSTS_RULES}- rule: Shell in container
  desc: a shell started in a container
  condition: evt.type = execve and proc.name = bash
  output: shell %proc.cmdline
  priority: NOTICE
  enabled: false
  tags: [mitre_execution]
`;

const CLUSTERS = Array.from({ length: 20 }, (_, i) => `c${String(i + 1).padStart(2, '0')}`);

/** A template "edge" with 20 clusters; each adds its own host; c07 also enables the shell rule, c13 sets its own registry. */
function fleetRepo(): string {
  const files: Record<string, string> = {
    'falco-gitops.yaml': 'defaults:\n  registry: ghcr.io/acme\n',
    'rules/base.yaml': BASE_RULES,
    'environments/edge/environment.yaml': 'description: Edge clusters\nversion: 2.1.0\nlayers:\n  - rules/base.yaml\n',
  };
  for (const c of CLUSTERS) {
    files[`environments/edge/clusters/${c}.yaml`] =
      `layers:\n  - environments/edge/clusters/${c}/*.yaml\n${c === 'c13' ? 'artifact:\n  repository: registry.eu.example/acme/edge-c13\n' : ''}`;
    files[`environments/edge/clusters/${c}/hosts.yaml`] = `- list: allowed_hosts\n  items: [${c}.internal.example]\n  override:\n    items: append\n`;
    if (c === 'c07') files[`environments/edge/clusters/${c}/enable.yaml`] = `- rule: Shell in container\n  enabled: true\n  override:\n    enabled: replace\n`;
  }
  const root = writeTempRepo(files);
  roots.push(root);
  return root;
}

describe('environment templates', () => {
  it('builds one environment per cluster whose rules differ exactly where the cluster files do', async () => {
    const root = fleetRepo();
    const io = captureIO(root);
    expect(await runCli(['build', '--out', 'out', '--format', 'json'], io), io.err()).toBe(0);
    const out = JSON.parse(io.out()) as { environments: { environment: string }[] };
    expect(out.environments.map((e) => e.environment)).toEqual(CLUSTERS.map((c) => `edge-${c}`));
    const rendered = (c: string) => readFileSync(join(root, `out/edge-${c}/falco-rules-edge-${c}.yaml`), 'utf8');
    const reference = rendered('c01');
    for (const c of CLUSTERS.slice(1)) {
      const a = reference.split('\n');
      const b = rendered(c).split('\n');
      const changedText = [...a.filter((l) => !b.includes(l)), ...b.filter((l) => !a.includes(l))].join('\n');
      // the host list always differs, by exactly that cluster's host
      expect(changedText).toContain(`${c}.internal.example`);
      expect(changedText).toContain('c01.internal.example');
      const other = CLUSTERS.filter((x) => x !== c && x !== 'c01').find((x) => changedText.includes(`${x}.internal.example`));
      expect(other).toBeUndefined();
      // and only c07 changes the rule it enables
      expect(/enabled/.test(changedText)).toBe(c === 'c07');
      // apart from the cluster's name (header, layer paths, host) the file is the template's
      if (c !== 'c07') expect(rendered(c).replaceAll(c, 'CLUSTER')).toBe(reference.replaceAll('c01', 'CLUSTER'));
    }
    const index = JSON.parse(readFileSync(join(root, 'out/oci/index.json'), 'utf8')) as { manifests: { annotations: Record<string, string> }[] };
    const repos = index.manifests.map((m) => Object.values(m.annotations).find((v) => v.includes('/')));
    expect(repos).toContain('registry.eu.example/acme/edge-c13');
    expect(repos).toContain('ghcr.io/acme/falco-rules-edge-c01');
  });

  it('validates one cluster, or every cluster through the template name', async () => {
    const root = fleetRepo();
    const one = captureIO(root);
    expect(await runCli(['validate', '--env', 'edge-c07', '--format', 'json'], one)).toBe(0);
    expect((JSON.parse(one.out()) as { data: { environments: unknown[] } }).data.environments).toHaveLength(1);
    const all = captureIO(root);
    expect(await runCli(['validate', '--env', 'edge', '--format', 'json'], all)).toBe(0);
    expect((JSON.parse(all.out()) as { data: { environments: unknown[] } }).data.environments).toHaveLength(20);
  });

  it('names the cluster file and key of a bad cluster setting', async () => {
    const root = fleetRepo();
    const io = captureIO(root);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(root, 'environments/edge/clusters/c05.yaml'), 'layers:\n  - x.yaml\nregistry: nope\n');
    expect(await runCli(['validate'], io)).toBe(2);
    expect(io.err()).toMatch(/environments\/edge\/clusters\/c05\.yaml:3:1/);
  });
});

import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { packArtifact } from '../../src/oci/index.js';
import { falcoctlIndexValidator } from '../oci/falcoctl-index-schema.js';
import { sampleInput } from '../oci/helpers.js';
import { captureIO, layoutWith, registry, skopeo, uniqueRepo, uniqueSuffix, withRegistry } from './publish-helpers.js';
import { startFaultProxy, startTokenProxy } from './servers.js';

withRegistry('publish against a real registry', () => {
  it('pushes what falcoctl needs; skopeo sees the media types, config, title and tags', async () => {
    const input = sampleInput({ repository: uniqueRepo() });
    const dir = await layoutWith([input]);
    const io = captureIO(dir);
    expect(await runCli(['publish', '--registry', registry.open, '--format', 'json'], io)).toBe(0);
    const repo = `${registry.open}/${input.repository.slice('ghcr.io/'.length)}`;
    const raw = JSON.parse(skopeo(['inspect', '--tls-verify=false', '--raw', `docker://${repo}:1.7.0`]));
    expect(raw.config.mediaType).toBe('application/vnd.cncf.falco.rulesfile.config.v1+json');
    expect(raw.layers[0].mediaType).toBe('application/vnd.cncf.falco.rulesfile.layer.v1+tar.gz');
    expect(raw.layers[0].annotations['org.opencontainers.image.title']).toBe('falco-rules-production.yaml.tar.gz');
    const tags = JSON.parse(skopeo(['list-tags', '--tls-verify=false', `docker://${repo}`])).Tags.sort();
    expect(tags).toEqual(['1', '1.7', '1.7.0', 'latest']);
    const oci = await mkdtemp(join(tmpdir(), 'fg-skopeo-'));
    skopeo(['copy', '--src-tls-verify=false', `docker://${repo}:1`, `oci:${oci}:copied`]);
    const packed = packArtifact(input);
    const config = await readFile(join(oci, 'blobs', 'sha256', packed.config.descriptor.digest.slice(7)), 'utf8');
    expect(JSON.parse(config)).toEqual(JSON.parse(Buffer.from(packed.config.bytes).toString()));
    const layer = await readFile(join(oci, 'blobs', 'sha256', packed.layer.descriptor.digest.slice(7)));
    expect(Buffer.compare(layer, Buffer.from(packed.layer.bytes))).toBe(0);

    const pulled = await mkdtemp(join(tmpdir(), 'fg-pulled-'));
    expect(await runCli(['pull', `${repo}:1.7`, '--out', pulled], captureIO(dir))).toBe(0);
    expect(Buffer.compare(await readFile(join(pulled, 'falco-rules-production.yaml')), Buffer.from(input.rulesFile))).toBe(0);

    const again = captureIO(dir);
    expect(await runCli(['publish', '--registry', registry.open, '--format', 'json'], again)).toBe(0);
    const report = JSON.parse(again.out.join('')).artifacts[0];
    expect(report.blobs.map((b: { outcome: string }) => b.outcome)).toEqual(['present', 'present']);
    expect(report.tags.map((t: { action: string }) => t.action)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
    expect(report.digest).toBe(packed.manifest.descriptor.digest);
  });

  it('--index adds an entry for each artifact published (none on --dry-run), pointing at the registry used', async () => {
    const input = sampleInput({ repository: uniqueRepo() });
    const dir = await layoutWith([input]);
    await writeFile(join(dir, 'index.yaml'), '- name: cloudtrail\n  type: plugin\n  registry: ghcr.io\n  repository: falcosecurity/plugins/cloudtrail\n');
    const dry = captureIO(dir);
    expect(await runCli(['publish', '--registry', registry.open, '--index', 'index.yaml', '--dry-run'], dry)).toBe(0);
    expect(await readFile(join(dir, 'index.yaml'), 'utf8')).not.toContain('rules-');
    const io = captureIO(dir);
    expect(
      await runCli(['publish', '--registry', registry.open, '--index', 'index.yaml', '--maintainer', 'Sec <sec@acme.example>', '--format', 'json'], io),
    ).toBe(0);
    const name = input.repository.slice(input.repository.lastIndexOf('/') + 1);
    expect(JSON.parse(io.out.join('')).index).toEqual({ file: 'index.yaml', entries: [name], error: null });
    const entries = parseYaml(await readFile(join(dir, 'index.yaml'), 'utf8')) as {
      name: string;
      registry: string;
      repository: string;
      maintainers: unknown;
    }[];
    expect(falcoctlIndexValidator()(entries)).toBe(true);
    expect(entries.map((e) => [e.name, e.registry, e.repository])).toEqual([
      ['cloudtrail', 'ghcr.io', 'falcosecurity/plugins/cloudtrail'],
      [name, registry.open, input.repository.slice('ghcr.io/'.length)],
    ]);
    expect(entries[1]!.maintainers).toEqual([{ email: 'sec@acme.example', name: 'Sec' }]);
    const pulled = await mkdtemp(join(tmpdir(), 'fg-pulled-'));
    expect(await runCli(['pull', `${entries[1]!.registry}/${entries[1]!.repository}:latest`, '--out', pulled], captureIO(dir))).toBe(0);
  });

  it('refuses a different digest under an existing version, moves only 1.2 for a backport', async () => {
    const repository = uniqueRepo();
    const repo = `${registry.open}/${repository.slice('ghcr.io/'.length)}`;
    for (const version of ['1.2.4', '1.3.0']) {
      const dir = await layoutWith([sampleInput({ repository, version })]);
      expect(await runCli(['publish', '--registry', registry.open], captureIO(dir))).toBe(0);
    }
    const backport = await layoutWith([sampleInput({ repository, version: '1.2.5' })]);
    const io = captureIO(backport);
    expect(await runCli(['publish', '--registry', registry.open, '--format', 'json'], io)).toBe(0);
    const tags = JSON.parse(io.out.join('')).artifacts[0].tags;
    expect(tags).toEqual([
      { tag: '1.2.5', action: 'created' },
      { tag: '1.2', action: 'moved' },
      { tag: '1', action: 'held', by: '1.3.0' },
      { tag: 'latest', action: 'held', by: '1.3.0' },
    ]);
    const latest = JSON.parse(skopeo(['inspect', '--tls-verify=false', '--raw', `docker://${repo}:latest`]));
    expect(latest.annotations['org.opencontainers.image.version']).toBe('1.3.0');

    const changed = await layoutWith([sampleInput({ repository, version: '1.3.0', rulesFile: Buffer.from('- list: x\n  items: []\n') })]);
    const refused = captureIO(changed);
    expect(await runCli(['publish', '--registry', registry.open], refused)).toBe(1);
    expect(refused.out.join('')).toMatch(/already points at sha256:[a-f0-9]{64}; versions are immutable/);
    const still = JSON.parse(skopeo(['inspect', '--tls-verify=false', '--raw', `docker://${repo}:1.3.0`]));
    expect(still.layers[0].digest).toBe(packArtifact(sampleInput({ repository, version: '1.3.0' })).layer.descriptor.digest);
  });

  it('Basic auth: pushes with --password-stdin and never prints the password, even on failure', async () => {
    const dir = await layoutWith([sampleInput({ repository: uniqueRepo() })]);
    const ok = captureIO(dir, `${registry.password}\n`);
    expect(await runCli(['publish', '--registry', registry.basic, '--username', registry.username, '--password-stdin'], ok)).toBe(0);
    const bad = captureIO(dir, 'wrong-password-123\n');
    expect(await runCli(['publish', '--registry', registry.basic, '--username', registry.username, '--password-stdin', '--format', 'json'], bad)).toBe(1);
    const anon = captureIO(dir);
    expect(await runCli(['publish', '--registry', registry.basic], anon)).toBe(1);
    expect(anon.out.join('')).toMatch(/401/);
    const printed = [...ok.out, ...ok.err, ...bad.out, ...bad.err].join('');
    expect(printed).not.toContain(registry.password);
    expect(printed).not.toContain('wrong-password-123');
    expect(printed).not.toContain(Buffer.from(`${registry.username}:${registry.password}`).toString('base64'));
  });

  it('publish and pull share the credential flags and sources: flags, environment, Docker config auths', async () => {
    const input = sampleInput({ repository: uniqueRepo() });
    const dir = await layoutWith([input]);
    const ref = `${registry.basic}/${input.repository.slice('ghcr.io/'.length)}:1.7.0`;
    for (const command of [['publish'], ['pull', ref]]) {
      const half = captureIO(dir);
      expect(await runCli([...command, '--username', 'x'], half)).toBe(2);
      expect(half.err.join('')).toBe('error: --username needs --password-stdin\n');
      const empty = captureIO(dir, '\n');
      expect(await runCli([...command, '--username', 'x', '--password-stdin'], empty)).toBe(2);
      expect(empty.err.join('')).toBe('error: --password-stdin read an empty password\n');
    }
    const env = { FALCO_GITOPS_REGISTRY_USERNAME: registry.username, FALCO_GITOPS_REGISTRY_PASSWORD: registry.password };
    expect(await runCli(['publish', '--registry', registry.basic], captureIO(dir, '', env))).toBe(0);
    const docker = await mkdtemp(join(tmpdir(), 'fg-docker-'));
    const auth = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
    await writeFile(join(docker, 'config.json'), JSON.stringify({ auths: { [`http://${registry.basic}`]: { auth } } }));
    const out = await mkdtemp(join(tmpdir(), 'fg-pulled-'));
    const pulled = captureIO(dir, '', { DOCKER_CONFIG: docker });
    expect(await runCli(['pull', ref, '--out', out, '--format', 'json'], pulled)).toBe(0);
    expect(JSON.parse(pulled.out.join('')).files).toEqual([join(out, 'falco-rules-production.yaml')]);
    const anonymous = captureIO(dir);
    expect(await runCli(['pull', ref, '--out', out], anonymous)).toBe(1);
    expect(anonymous.err.join('')).toMatch(/401/);
    expect([...pulled.out, ...pulled.err, ...anonymous.err].join('')).not.toContain(registry.password);
  });

  it("an identity token from Docker's config is exchanged with the OAuth2 refresh-token grant, and never printed", async () => {
    const proxy = await startTokenProxy(registry.open, 'ci', 'unused-pass', 'refresh-0123456789');
    try {
      const repository = uniqueRepo();
      const dir = await layoutWith([sampleInput({ repository })]);
      const docker = await mkdtemp(join(tmpdir(), 'fg-docker-'));
      await writeFile(join(docker, 'config.json'), JSON.stringify({ auths: { [proxy.address]: { identitytoken: 'refresh-0123456789' } } }));
      const io = captureIO(dir, '', { DOCKER_CONFIG: docker });
      expect(await runCli(['publish', '--registry', proxy.address], io)).toBe(0);
      expect(proxy.scopes.flat()).toContain(`repository:${repository.slice('ghcr.io/'.length)}:pull,push`);
      const printed = [...io.out, ...io.err].join('');
      expect(printed).not.toContain('refresh-0123456789');
      for (const t of proxy.issued) expect(printed).not.toContain(t);
    } finally {
      await proxy.close();
    }
  });

  it('Bearer tokens: answers the challenge with the scope, and never prints the token', async () => {
    const proxy = await startTokenProxy(registry.open, 'ci', 'token-pass-456');
    try {
      const repository = uniqueRepo();
      const dir = await layoutWith([sampleInput({ repository })]);
      const io = captureIO(dir, '', { FALCO_GITOPS_REGISTRY_USERNAME: 'ci', FALCO_GITOPS_REGISTRY_PASSWORD: 'token-pass-456' });
      expect(await runCli(['publish', '--registry', proxy.address], io)).toBe(0);
      expect(proxy.issued.length).toBeGreaterThan(0);
      expect(proxy.scopes.flat()).toContain(`repository:${repository.slice('ghcr.io/'.length)}:pull,push`);
      const printed = [...io.out, ...io.err].join('');
      for (const t of proxy.issued) expect(printed).not.toContain(t);
      expect(printed).not.toContain('token-pass-456');
    } finally {
      await proxy.close();
    }
  });
});

withRegistry('cross-repository mount', () => {
  it('a second repository of the same registry mounts the blobs the first one uploaded', async () => {
    const suffix = uniqueSuffix();
    const first = `ghcr.io/acme/a-${suffix}/falco-rules`;
    const second = `ghcr.io/acme/b-${suffix}/falco-rules`;
    const base = sampleInput({ rulesFileName: 'falco-rules.yaml' });
    const dir = await layoutWith([
      { ...base, environment: 'a-primary', repository: first },
      { ...base, environment: 'b-mirror', repository: second },
    ]);
    const proxy = await startFaultProxy(registry.open);
    try {
      const io = captureIO(dir);
      expect(await runCli(['publish', '--registry', proxy.address, '--format', 'json'], io)).toBe(0);
      const [a, b] = JSON.parse(io.out.join('')).artifacts as { target: string; digest: string; blobs: { digest: string; outcome: string }[] }[];
      expect(a!.digest).toBe(b!.digest);
      expect(a!.blobs.map((x) => x.outcome)).toEqual(['uploaded', 'uploaded']);
      expect(b!.blobs.map((x) => x.outcome)).toEqual(['mounted', 'mounted']);
      const repoA = first.slice('ghcr.io/'.length);
      const repoB = second.slice('ghcr.io/'.length);
      const packed = packArtifact({ ...base, environment: 'b-mirror', repository: second });
      const blobRequestsB = proxy.forwarded.filter((r) => r.url.startsWith(`/v2/${repoB}/blobs/`));
      // config and layer go up concurrently: compare as sorted lists
      expect(blobRequestsB.map((r) => `${r.method} ${r.url} ${r.status}`).sort()).toEqual(
        [packed.config, packed.layer]
          .flatMap((blob) => [
            `HEAD /v2/${repoB}/blobs/${blob.descriptor.digest} 404`,
            `POST /v2/${repoB}/blobs/uploads/?mount=${encodeURIComponent(blob.descriptor.digest)}&from=${encodeURIComponent(repoA)} 201`,
          ])
          .sort(),
      );
      expect(proxy.forwarded.filter((r) => r.url.startsWith(`/v2/${repoA}/blobs/uploads/`) && r.method === 'PUT').map((r) => r.status)).toEqual([201, 201]);
    } finally {
      await proxy.close();
    }
    const pulled = await mkdtemp(join(tmpdir(), 'fg-pulled-'));
    expect(await runCli(['pull', `${registry.open}/${second.slice('ghcr.io/'.length)}:1.7.0`, '--out', pulled], captureIO(dir))).toBe(0);
    expect(Buffer.compare(await readFile(join(pulled, 'falco-rules.yaml')), Buffer.from(base.rulesFile))).toBe(0);
  });

  it('--mount-from mounts from an earlier publish; a repository without the blob falls back to an upload', async () => {
    const suffix = uniqueSuffix();
    const repo = (x: string) => `ghcr.io/acme/${x}-${suffix}/falco-rules`;
    const base = sampleInput({ rulesFileName: 'falco-rules.yaml' });
    const path = (x: string) => repo(x).slice('ghcr.io/'.length);
    expect(await runCli(['publish', '--registry', registry.open], captureIO(await layoutWith([{ ...base, repository: repo('a') }])))).toBe(0);
    const proxy = await startFaultProxy(registry.open);
    try {
      const mounted = captureIO(await layoutWith([{ ...base, repository: repo('b') }]));
      expect(await runCli(['publish', '--registry', proxy.address, '--mount-from', path('none'), '--mount-from', path('a'), '--format', 'json'], mounted)).toBe(
        0,
      );
      expect(JSON.parse(mounted.out.join('')).artifacts[0].blobs.map((b: { outcome: string }) => b.outcome)).toEqual(['mounted', 'mounted']);
      const packedB = packArtifact({ ...base, repository: repo('b') });
      const forB = proxy.forwarded
        .filter((r) => r.url.startsWith(`/v2/${path('b')}/blobs/`))
        .map((r) => `${r.method} ${r.url.replace(/uploads\/[0-9a-f-]{36}\?_state=\S+$/, 'uploads/<session>')} ${r.status}`);
      const mountFrom = (digest: string, from: string, status: number) =>
        `POST /v2/${path('b')}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)} ${status}`;
      expect([...forB].sort()).toEqual(
        [packedB.config, packedB.layer]
          .flatMap(({ descriptor: { digest } }) => [
            `HEAD /v2/${path('b')}/blobs/${digest} 404`,
            mountFrom(digest, path('none'), 202),
            `DELETE /v2/${path('b')}/blobs/uploads/<session> 204`,
            mountFrom(digest, path('a'), 201),
          ])
          .sort(),
      );
      for (const {
        descriptor: { digest },
      } of [packedB.config, packedB.layer]) {
        expect(forB.indexOf(mountFrom(digest, path('none'), 202))).toBeLessThan(forB.indexOf(mountFrom(digest, path('a'), 201)));
      }
      const uploaded = captureIO(await layoutWith([{ ...base, repository: repo('c') }]));
      expect(await runCli(['publish', '--registry', proxy.address, '--mount-from', path('none'), '--format', 'json'], uploaded)).toBe(0);
      expect(JSON.parse(uploaded.out.join('')).artifacts[0].blobs.map((b: { outcome: string }) => b.outcome)).toEqual(['uploaded', 'uploaded']);
    } finally {
      await proxy.close();
    }
    const bad = captureIO(await layoutWith([{ ...base, repository: repo('d') }]));
    expect(await runCli(['publish', '--registry', registry.open, '--mount-from', `${registry.open}/${path('a')}`], bad)).toBe(2);
    expect(bad.err.join('')).toMatch(/--mount-from takes a repository path without the registry host/);
  });
});

import { expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { sampleInput } from '../oci/helpers.js';
import { captureIO, layoutWith, registry, skopeo, uniqueRepo, withRegistry } from './publish-helpers.js';
import { startFaultProxy, type FaultRule } from './servers.js';

const tagsOf = (repo: string): string[] => (JSON.parse(skopeo(['list-tags', '--tls-verify=false', `docker://${repo}`])).Tags as string[]).sort();

withRegistry('publish through a fault-injecting proxy, three artifacts at concurrency 3', () => {
  /**
   * Publishes `production` between two bystanders (`a-staging`, `z-dev`, other repositories) at
   * concurrency 3; `rules` gets the path of production's repository, so a fault can hit production
   * alone (`only`). Checks that the bystanders complete, whatever happens to production.
   */
  async function withProxy(rules: (repoPath: string) => FaultRule[], timeoutMs = 2000) {
    const proxy = await startFaultProxy(registry.open);
    const repository = uniqueRepo();
    const bystanders = ['a-staging', 'z-dev'].map((environment) =>
      sampleInput({ environment, repository: `${repository}-${environment}`, rulesFile: Buffer.from(`- list: ${environment}\n  items: [x]\n`) }),
    );
    proxy.rules.push(...rules(repository.slice('ghcr.io/'.length)));
    const dir = await layoutWith([bystanders[0]!, sampleInput({ repository }), bystanders[1]!]);
    const io = captureIO(dir);
    const code = await runCli(['publish', '--registry', proxy.address, '--format', 'json', '--timeout', String(timeoutMs), '--concurrency', '3'], io);
    await proxy.close();
    const artifacts = JSON.parse(io.out.join('')).artifacts as { environment: string; tags: unknown[]; error: Record<string, unknown> | null }[];
    expect(artifacts.map((a) => a.environment)).toEqual(['a-staging', 'production', 'z-dev']);
    expect(artifacts.filter((a) => a.environment !== 'production').map((a) => a.error)).toEqual([null, null]);
    for (const b of bystanders) expect(tagsOf(`${registry.open}/${b.repository.slice('ghcr.io/'.length)}`)).toEqual(['1', '1.7', '1.7.0', 'latest']);
    return { code, io, proxy, production: artifacts[1]!, repo: `${registry.open}/${repository.slice('ghcr.io/'.length)}` };
  }
  const only = (repoPath: string, rest: RegExp) => new RegExp(`^/v2/${repoPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/${rest.source}`);

  it('500s on blob upload start are retried and the publish completes', async () => {
    const r = await withProxy((repo) => [{ method: 'POST', path: only(repo, /blobs\/uploads\/$/), fault: { kind: 'status', status: 500 }, times: 2 }]);
    expect(r.code).toBe(0);
    expect(r.proxy.log.filter((l) => l.startsWith(`POST /v2/${r.repo.slice(registry.open.length + 1)}/`)).length).toBe(4);
    expect(tagsOf(r.repo)).toEqual(['1', '1.7', '1.7.0', 'latest']);
  });

  it('429 with Retry-After on the manifest put is waited out', async () => {
    const r = await withProxy((repo) => [
      { method: 'PUT', path: only(repo, /manifests\/sha256:/), fault: { kind: 'status', status: 429, retryAfter: '1' }, times: 1 },
    ]);
    expect(r.code).toBe(0);
    expect(r.proxy.log.filter((l) => l.startsWith(`PUT /v2/${r.repo.slice(registry.open.length + 1)}/manifests/sha256:`)).length).toBe(2);
  });

  it('a connection reset mid-upload restarts the upload', async () => {
    const r = await withProxy(() => [{ method: 'PUT', path: /blobs\/uploads\//, fault: { kind: 'reset-mid-upload' }, times: 1 }]);
    expect(r.code).toBe(0);
    expect(tagsOf(r.repo)).toEqual(['1', '1.7', '1.7.0', 'latest']);
  });

  it('slow responses past the timeout fail cleanly, naming the request, with no tag pushed', async () => {
    const r = await withProxy((repo) => [{ method: 'PUT', path: only(repo, /manifests\/sha256:/), fault: { kind: 'slow', delayMs: 2000 }, times: 99 }], 700);
    expect(r.code).toBe(1);
    const error = r.production.error!;
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/timed out after 700 ms \(after 5 attempts\)$/);
    expect(error.method).toBe('PUT');
    expect(error.url).toMatch(/\/manifests\/sha256:/);
    expect(r.proxy.log.filter((l) => l.startsWith(`PUT /v2/${r.repo.slice(registry.open.length + 1)}/manifests/`) && !l.includes('sha256:'))).toEqual([]);
    expect(r.production.tags).toEqual([]);
  });

  it('persistent 503s fail with the request and status, and no tag points anywhere', async () => {
    const r = await withProxy((repo) => [{ method: 'PUT', path: only(repo, /manifests\/sha256:/), fault: { kind: 'status', status: 503 }, times: 99 }]);
    expect(r.code).toBe(1);
    const error = r.production.error!;
    expect(error).toMatchObject({ kind: 'request', method: 'PUT', status: 503 });
    expect(error.codes).toEqual([{ code: 'UNAVAILABLE', message: 'injected fault' }]);
    expect(r.proxy.log.filter((l) => l.startsWith(`PUT /v2/${r.repo.slice(registry.open.length + 1)}/manifests/`) && !l.includes('sha256:'))).toEqual([]);
    expect(r.production.tags).toEqual([]);
  });
});

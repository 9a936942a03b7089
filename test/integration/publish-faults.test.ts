import { expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { sampleInput } from '../oci/helpers.js';
import { captureIO, layoutWith, registry, skopeo, uniqueRepo, withRegistry } from './publish-helpers.js';
import { startFaultProxy } from './servers.js';

withRegistry('publish through a fault-injecting proxy', () => {
  async function withProxy(rules: Parameters<typeof startFaultProxy>[0] extends string ? Awaited<ReturnType<typeof startFaultProxy>>['rules'] : never, timeoutMs = 2000) {
    const proxy = await startFaultProxy(registry.open);
    proxy.rules.push(...rules);
    const repository = uniqueRepo();
    const dir = await layoutWith([sampleInput({ repository })]);
    const io = captureIO(dir);
    const code = await runCli(['publish', '--registry', proxy.address, '--format', 'json', '--timeout', String(timeoutMs)], io);
    await proxy.close();
    return { code, io, proxy, repo: `${registry.open}/${repository.slice('ghcr.io/'.length)}` };
  }

  it('500s on blob upload start are retried and the publish completes', async () => {
    const r = await withProxy([{ method: 'POST', path: /blobs\/uploads\/$/, fault: { kind: 'status', status: 500 }, times: 2 }]);
    expect(r.code).toBe(0);
    expect(r.proxy.log.filter((l) => l.startsWith('POST')).length).toBeGreaterThanOrEqual(4);
    expect(JSON.parse(skopeo(['list-tags', '--tls-verify=false', `docker://${r.repo}`])).Tags).toContain('1.7.0');
  });

  it('429 with Retry-After on the manifest put is waited out', async () => {
    const r = await withProxy([{ method: 'PUT', path: /manifests\/sha256:/, fault: { kind: 'status', status: 429, retryAfter: '1' }, times: 1 }]);
    expect(r.code).toBe(0);
  });

  it('a connection reset mid-upload restarts the upload', async () => {
    const r = await withProxy([{ method: 'PUT', path: /blobs\/uploads\//, fault: { kind: 'reset-mid-upload' }, times: 1 }]);
    expect(r.code).toBe(0);
    expect(JSON.parse(skopeo(['list-tags', '--tls-verify=false', `docker://${r.repo}`])).Tags.sort()).toEqual(['1', '1.7', '1.7.0', 'latest']);
  });

  it('slow responses past the timeout fail cleanly, naming the request, with no tag pushed', async () => {
    const r = await withProxy([{ method: 'PUT', path: /manifests\/sha256:/, fault: { kind: 'slow', delayMs: 2000 }, times: 99 }], 700);
    expect(r.code).toBe(1);
    const error = JSON.parse(r.io.out.join('')).artifacts[0].error;
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/timed out after 700 ms \(after 5 attempts\)$/);
    expect(error.method).toBe('PUT');
    expect(error.url).toMatch(/\/manifests\/sha256:/);
    expect(r.proxy.log.some((l) => /PUT .*manifests\/1\.7\.0/.test(l))).toBe(false);
  });

  it('persistent 503s fail with the request and status, and no tag points anywhere', async () => {
    const r = await withProxy([{ method: 'PUT', path: /manifests\/sha256:/, fault: { kind: 'status', status: 503 }, times: 99 }]);
    expect(r.code).toBe(1);
    const error = JSON.parse(r.io.out.join('')).artifacts[0].error;
    expect(error).toMatchObject({ kind: 'request', method: 'PUT', status: 503 });
    expect(error.codes).toEqual([{ code: 'UNAVAILABLE', message: 'injected fault' }]);
    expect(r.proxy.log.some((l) => /PUT .*manifests\/1\.7\.0/.test(l))).toBe(false);
  });
});

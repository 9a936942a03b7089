import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_RETRY, HttpClient, LayoutStore, SecretSet, openRegistryStore, packArtifact, publishArtifact, readLayoutArtifact, readLayoutIndex, writeOciLayout } from '../src/oci/index.js';
import type { BenchResult } from './types.js';

const REGISTRY = '/usr/bin/docker-registry';
const COUNT = 20;

/** Publishing 20 artifacts to a local docker-registry, against `skopeo copy` of the same artifacts from the OCI layout. */
export async function benchPublish(): Promise<BenchResult[]> {
  if (!existsSync(REGISTRY) || !existsSync('/usr/bin/skopeo')) return [{ name: 'oci: skipped (docker-registry or skopeo missing)', value: 0, unit: '-' }];
  const dir = await mkdtemp(join(tmpdir(), 'fg-bench-oci-'));
  const port = await freePort();
  await writeFile(join(dir, 'config.yml'), `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\nhttp:\n  addr: 127.0.0.1:${port}\n`);
  const child = spawn(REGISTRY, ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
  try {
    const address = `127.0.0.1:${port}`;
    for (let i = 0; i < 200; i++) {
      const ok = await fetch(`http://${address}/v2/`).then((r) => r.ok, () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const artifacts = Array.from({ length: COUNT }, (_, i) =>
      packArtifact({
        environment: `env-${String(i).padStart(2, '0')}`,
        repository: `ghcr.io/bench/rules-${i}`,
        version: `1.0.${i}`,
        rulesFileName: 'rules.yaml',
        rulesFile: Buffer.from(`- list: l${i}\n  items: [${'x, '.repeat(20_000)}y]\n`),
        requiredEngineVersion: '0.26.0',
        requiredPluginVersions: [],
        annotations: { created: '2026-01-01T00:00:00Z' },
      }),
    );
    const layout = join(dir, 'oci');
    await writeOciLayout(layout, artifacts);
    const store = new LayoutStore(layout);
    const entries = await readLayoutIndex(layout);
    const http = new HttpClient({ userAgent: 'bench', timeoutMs: 60_000, retry: DEFAULT_RETRY, secrets: new SecretSet() });
    const publishAll = async (prefix: string) => {
      const start = performance.now();
      for (const e of entries) {
        const a = await readLayoutArtifact(store, e);
        const s = openRegistryStore({ registry: address, repository: `${prefix}/${e.repository!.split('/').pop()}` }, null, http);
        const r = await publishArtifact(s, a);
        if (r.error) throw r.error;
      }
      return performance.now() - start;
    };
    const ours = await publishAll('ours');
    const again = await publishAll('ours');
    const start = performance.now();
    for (const e of entries) {
      execFileSync('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', `oci:${layout}:${e.version}`, `docker://${address}/skopeo/${e.repository!.split('/').pop()}:${e.version}`]);
    }
    const skopeo = performance.now() - start;
    return [
      { name: `oci: publish ${COUNT} artifacts (blobs, manifest, 4 tags each)`, value: ours, unit: 'ms' },
      { name: `oci: skopeo copy of the same ${COUNT} (one tag each)`, value: skopeo, unit: 'ms' },
      { name: 'oci: publish / skopeo copy', value: ours / skopeo, unit: 'x', target: '<= 1x' },
      { name: `oci: no-change re-publish of ${COUNT}`, value: again, unit: 'ms' },
    ];
  } finally {
    child.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

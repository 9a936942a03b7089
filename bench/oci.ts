import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runCli } from '../src/cli/main.js';
import type { CliIO } from '../src/cli/io.js';
import { packArtifact, planTags, runTasks, writeOciLayout, type PackedArtifact } from '../src/oci/index.js';
import type { BenchResult } from './types.js';

const REGISTRY = '/usr/bin/docker-registry';
const COUNT = 20;
const ROUNDS = 5;
const CONCURRENCY = 4;
const run = promisify(execFile);

/** The 20 artifacts of one round, in their own repository namespace; pre-releases get only their version tag. */
function artifactsFor(namespace: string, prerelease: boolean): PackedArtifact[] {
  return Array.from({ length: COUNT }, (_, i) =>
    packArtifact({
      environment: `env-${String(i).padStart(2, '0')}`,
      repository: `ghcr.io/${namespace}/rules-${i}`,
      version: `1.0.${i}${prerelease ? '-rc.1' : ''}`,
      rulesFileName: 'rules.yaml',
      rulesFile: Buffer.from(`- list: l${i}\n  items: [${'x, '.repeat(20_000)}y]\n`),
      requiredEngineVersion: '0.26.0',
      requiredPluginVersions: [],
      annotations: { created: '2026-01-01T00:00:00Z' },
    }),
  );
}

/**
 * Publishing 20 artifacts from an OCI layout to a local docker-registry with `falco-gitops publish`,
 * against `skopeo copy` of the same 20 from the same layout with the same tags and the same number in
 * flight. Each figure is the median of 5 rounds; every round pushes into fresh repositories.
 */
export async function benchPublish(): Promise<BenchResult[]> {
  if (!existsSync(REGISTRY) || !existsSync('/usr/bin/skopeo')) return [{ name: 'oci: skipped (docker-registry or skopeo missing)', value: 0, unit: '-' }];
  const dir = await mkdtemp(join(tmpdir(), 'fg-bench-oci-'));
  const port = await freePort();
  await writeFile(
    join(dir, 'config.yml'),
    `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\nhttp:\n  addr: 127.0.0.1:${port}\n`,
  );
  const child = spawn(REGISTRY, ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
  try {
    const address = `127.0.0.1:${port}`;
    for (let i = 0; i < 200; i++) {
      const ok = await fetch(`http://${address}/v2/`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    let layouts = 0;
    /** A fresh layout whose artifacts target fresh repositories. */
    const freshLayout = async (prerelease: boolean) => {
      const namespace = `round-${++layouts}`;
      const artifacts = artifactsFor(namespace, prerelease);
      const layout = join(dir, namespace);
      await writeOciLayout(layout, artifacts);
      return { namespace, layout, artifacts };
    };
    const ours = async (layout: string, concurrency: number) => {
      const out: string[] = [];
      const start = performance.now();
      const code = await runCli(
        ['publish', '--layout', layout, '--registry', address, '--concurrency', String(concurrency), '--format', 'json'],
        benchIO(dir, out),
      );
      const ms = performance.now() - start;
      if (code !== 0) throw new Error(`publish exited ${code}: ${out.join('')}`);
      return ms;
    };
    /** `skopeo copy` once per tag (it pushes one destination tag per call), `concurrency` artifacts at a time. */
    const skopeo = async (layout: string, namespace: string, artifacts: PackedArtifact[], concurrency: number) => {
      const copies = artifacts.map((a) => ({
        key: a.repository,
        run: async () => {
          const plan = planTags(a.version, []);
          for (const tag of [plan.version, ...plan.floating]) {
            await run('skopeo', [
              'copy',
              '--quiet',
              '--dest-tls-verify=false',
              `oci:${layout}:${a.version}`,
              `docker://${address}/${namespace}-skopeo/${a.repository.split('/').pop()}:${tag}`,
            ]);
          }
        },
      }));
      const start = performance.now();
      await runTasks(copies, concurrency);
      return performance.now() - start;
    };
    const tagsEach = planTags(artifactsFor('x', false)[0].version, []);
    const tagCount = 1 + tagsEach.floating.length;
    const samples = {
      allTags: [] as number[],
      allTagsSkopeo: [] as number[],
      allTagsSerial: [] as number[],
      oneTag: [] as number[],
      oneTagSkopeo: [] as number[],
      oneTagSerial: [] as number[],
      oneTagSerialSkopeo: [] as number[],
      again: [] as number[],
    };
    for (let round = 0; round < ROUNDS; round++) {
      // alternate who goes first, so neither always meets a warmer (or busier) registry
      const pair = async (a: () => Promise<number>, b: () => Promise<number>): Promise<[number, number]> => {
        if (round % 2 === 0) return [await a(), await b()];
        const second = await b();
        return [await a(), second];
      };
      const all = await freshLayout(false);
      const [ourAll, skopeoAll] = await pair(
        () => ours(all.layout, CONCURRENCY),
        () => skopeo(all.layout, all.namespace, all.artifacts, CONCURRENCY),
      );
      samples.allTags.push(ourAll);
      samples.allTagsSkopeo.push(skopeoAll);
      samples.again.push(await ours(all.layout, CONCURRENCY));
      samples.allTagsSerial.push(await ours((await freshLayout(false)).layout, 1));
      const one = await freshLayout(true);
      const [ourOne, skopeoOne] = await pair(
        () => ours(one.layout, CONCURRENCY),
        () => skopeo(one.layout, one.namespace, one.artifacts, CONCURRENCY),
      );
      samples.oneTag.push(ourOne);
      samples.oneTagSkopeo.push(skopeoOne);
      const serial = await freshLayout(true);
      const [ourSerial, skopeoSerial] = await pair(
        () => ours(serial.layout, 1),
        () => skopeo(serial.layout, serial.namespace, serial.artifacts, 1),
      );
      samples.oneTagSerial.push(ourSerial);
      samples.oneTagSerialSkopeo.push(skopeoSerial);
    }
    const m = (xs: number[]) => median(xs);
    const note = `median of ${ROUNDS} rounds, each into fresh repositories`;
    const at = `${CONCURRENCY} at a time`;
    return [
      { name: `oci: publish ${COUNT} × ${tagCount} tags, ${at}`, value: m(samples.allTags), unit: 'ms', note },
      { name: `oci: skopeo copy the same ${COUNT} × ${tagCount} tags, ${at}`, value: m(samples.allTagsSkopeo), unit: 'ms', note },
      { name: `oci: publish / skopeo, ${tagCount} tags each, ${at}`, value: ratio(samples.allTags, samples.allTagsSkopeo), unit: 'x', target: '<= 1x' },
      { name: `oci: publish ${COUNT} × ${tagCount} tags, one at a time (--concurrency 1)`, value: m(samples.allTagsSerial), unit: 'ms', note },
      { name: `oci: publish ${COUNT} × 1 tag (pre-releases), ${at}`, value: m(samples.oneTag), unit: 'ms', note },
      { name: `oci: skopeo copy the same ${COUNT} × 1 tag, ${at}`, value: m(samples.oneTagSkopeo), unit: 'ms', note },
      { name: `oci: publish / skopeo, 1 tag each, ${at}`, value: ratio(samples.oneTag, samples.oneTagSkopeo), unit: 'x', target: '<= 1x' },
      { name: `oci: publish ${COUNT} × 1 tag, one at a time`, value: m(samples.oneTagSerial), unit: 'ms', note },
      { name: `oci: skopeo copy the same ${COUNT} × 1 tag, one at a time`, value: m(samples.oneTagSerialSkopeo), unit: 'ms', note },
      { name: 'oci: publish / skopeo, 1 tag each, one at a time', value: ratio(samples.oneTagSerial, samples.oneTagSerialSkopeo), unit: 'x', target: '<= 1x' },
      {
        name: `oci: no-change re-publish of ${COUNT} × ${tagCount} tags, ${at}`,
        value: m(samples.again),
        unit: 'ms',
        note: `median of ${ROUNDS} rounds, each into the round's repositories again`,
      },
    ];
  } finally {
    child.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The median of the per-round ratios: each round's two timings ran back to back, under the same load. */
function ratio(ours: number[], theirs: number[]): number {
  return median(ours.map((o, i) => o / theirs[i]));
}

function benchIO(cwd: string, out: string[]): CliIO {
  return { cwd, env: { HOME: cwd }, stdout: (t) => out.push(t), stderr: () => undefined, readStdin: async () => '', isTTY: false };
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

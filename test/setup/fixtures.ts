import { lookup } from 'node:dns/promises';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { runCli } from '../../src/cli/main.js';
import { PULLABLE_UPSTREAM, UPSTREAM_CACHE, UPSTREAM_RULES, missingUpstream, type UpstreamManifestEntry } from '../helpers/shared.js';

const REGISTRY = 'ghcr.io';

/**
 * When no upstream rulesets are at hand (FALCO_GITOPS_UPSTREAM_RULES, ../shared/upstream-rules or an
 * earlier pull), pulls the versions tests name once, with the tool's own `pull`, into the cache.
 * Without network this gives up within seconds and the tests that need them skip; FALCO_GITOPS_NO_PULL=1
 * does not try.
 */
export default async function setup(): Promise<void> {
  if (UPSTREAM_RULES !== UPSTREAM_CACHE || !missingUpstream() || process.env.FALCO_GITOPS_NO_PULL) return;
  const reachable = await Promise.race([
    lookup(REGISTRY).then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((r) => setTimeout(() => r(false), 3000).unref()),
  ]);
  if (!reachable) return;
  mkdirSync(dirname(UPSTREAM_CACHE), { recursive: true });
  const staging = mkdtempSync(`${UPSTREAM_CACHE}.tmp-`);
  try {
    const manifest: Partial<UpstreamManifestEntry>[] = [];
    for (const { ruleset, artifact, version } of PULLABLE_UPSTREAM) {
      const out = join(staging, 'pulled', `${ruleset}-${version}`);
      const ignore = () => undefined;
      const ref = `${REGISTRY}/falcosecurity/rules/${artifact}:${version}`;
      const code = await runCli(['pull', ref, '--out', out], {
        cwd: staging,
        env: process.env,
        stdout: ignore,
        stderr: ignore,
        readStdin: async () => '',
        isTTY: false,
      });
      if (code !== 0) return;
      const file = `${ruleset}/rules-${version}.yaml`;
      const text = readFileSync(join(out, `${ruleset}.yaml`));
      mkdirSync(join(staging, ruleset), { recursive: true });
      writeFileSync(join(staging, file), text);
      manifest.push({
        ruleset,
        version: `rules-${version}`,
        file,
        tag: `${ruleset}-${version}`,
        sha256: createHash('sha256').update(text).digest('hex'),
        bytes: text.length,
      });
    }
    rmSync(join(staging, 'pulled'), { recursive: true, force: true });
    writeFileSync(join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
    // A concurrent run may have finished first: its copy is as good as ours.
    try {
      if (!existsSync(UPSTREAM_CACHE)) renameSync(staging, UPSTREAM_CACHE);
    } catch {
      // renamed by the other run between the check and ours
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

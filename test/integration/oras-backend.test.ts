import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';
import { packArtifact, writeOciLayout } from '../../src/oci/index.js';
import { sampleInput } from '../oci/helpers.js';

/*
 * There is no `oras` binary here (nor in Debian), so these tests cover the oras backend through a
 * stand-in that records each invocation (argv, stdin, the files it was handed) and answers as oras
 * does: descriptors as JSON on stdout, "not found" on stderr for missing content. They prove the
 * command lines we run, not oras itself.
 */
const STAND_IN = `#!/usr/bin/env node
const fs = require('fs');
const crypto = require('crypto');
const args = process.argv.slice(2);
const stdin = fs.readFileSync(0, 'utf8');
const files = {};
for (const a of args) if (a.startsWith('/') && fs.existsSync(a) && fs.statSync(a).isFile()) files[a] = fs.readFileSync(a).toString('base64');
fs.appendFileSync(process.env.ORAS_RECORD, JSON.stringify({ args, stdin, files }) + '\\n');
const line = args.filter((a) => !a.startsWith('--') && a !== process.env.ORAS_USER).join(' ');
if (process.env.ORAS_FAIL && line.startsWith(process.env.ORAS_FAIL)) {
  process.stderr.write('Error: failed to push: unauthorized: credential ' + stdin.trim() + ' rejected\\n');
  process.exit(3);
}
const sub = args.slice(0, 2).join(' ');
if (sub === 'repo tags' || sub === 'blob fetch' || sub === 'manifest fetch') {
  process.stderr.write('Error: ' + args[args.length - 1] + ': not found\\n');
  process.exit(1);
}
if (sub === 'blob push' || sub === 'manifest push') {
  const bytes = fs.readFileSync(args[args.length - 1]);
  const digest = 'sha256:' + crypto.createHash('sha256').update(bytes).digest('hex');
  const size = process.env.ORAS_SHORT ? bytes.length - 1 : bytes.length;
  process.stdout.write(JSON.stringify({ mediaType: args[args.indexOf('--media-type') + 1], digest, size }) + '\\n');
}
`;

interface Invocation {
  args: string[];
  stdin: string;
  files: Record<string, string>;
}

async function setUp(env: Record<string, string> = {}, stdin = '') {
  const dir = await mkdtemp(join(tmpdir(), 'fg-oras-'));
  const bin = join(dir, 'bin');
  await mkdir(bin);
  await writeFile(join(bin, 'oras'), STAND_IN);
  await chmod(join(bin, 'oras'), 0o755);
  const input = sampleInput({ repository: 'ghcr.io/acme/falco-rules-production' });
  await writeOciLayout(join(dir, 'out', 'oci'), [packArtifact(input)]);
  const record = join(dir, 'record.jsonl');
  await writeFile(record, '');
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    cwd: dir,
    env: { HOME: dir, PATH: `${bin}:${process.env.PATH ?? ''}`, ORAS_RECORD: record, ...env },
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readStdin: async () => stdin,
    isTTY: false,
  };
  const invocations = async (): Promise<Invocation[]> =>
    (await readFile(record, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Invocation);
  return { dir, io, out, err, invocations, packed: packArtifact(input) };
}

const REF = '127.0.0.1:5999/acme/falco-rules-production';

describe('publish --backend oras (against a recording stand-in for oras)', () => {
  it('runs oras with the exact media types, digests and tags; content files are our exact bytes; the password goes on stdin only', async () => {
    const t = await setUp({ ORAS_USER: 'ci' }, 's3cret-pass-789\n');
    const code = await runCli(
      ['publish', '--backend', 'oras', '--registry', '127.0.0.1:5999', '--username', 'ci', '--password-stdin', '--format', 'json'],
      t.io,
    );
    expect(t.err.join('')).not.toMatch(/failed/);
    expect(code).toBe(0);
    const calls = await t.invocations();
    const auth = ['--plain-http', '--username', 'ci', '--password-stdin'];
    const { config, layer, manifest } = t.packed;
    const m = manifest.descriptor.digest;
    const argv = calls.map((c) => c.args.filter((a) => !(a in c.files)).join(' '));
    const blobPhase = [
      [config.descriptor.digest, 'application/vnd.cncf.falco.rulesfile.config.v1+json'],
      [layer.descriptor.digest, 'application/vnd.cncf.falco.rulesfile.layer.v1+tar.gz'],
    ].flatMap(([digest, mediaType]) => [
      `blob fetch ${auth.join(' ')} --descriptor ${REF}@${digest}`,
      `blob push ${auth.join(' ')} --descriptor --media-type ${mediaType} ${REF}@${digest}`,
    ]);
    // phases in order: list tags; config and layer (concurrently); manifest by digest; version tag; floating tags (concurrently)
    expect(argv[0]).toBe(`repo tags ${auth.join(' ')} ${REF}`);
    expect(argv.slice(1, 5).sort()).toEqual([...blobPhase].sort());
    for (const d of [config.descriptor, layer.descriptor]) {
      expect(argv.indexOf(`blob fetch ${auth.join(' ')} --descriptor ${REF}@${d.digest}`)).toBeLessThan(
        argv.findIndex((l) => l.startsWith('blob push') && l.endsWith(d.digest)),
      );
    }
    expect(argv[5]).toBe(`manifest push ${auth.join(' ')} --descriptor --media-type application/vnd.oci.image.manifest.v1+json ${REF}@${m}`);
    expect(argv[6]).toBe(`tag ${auth.join(' ')} ${REF}@${m} 1.7.0`);
    expect(argv.slice(7).sort()).toEqual(['1.7', '1', 'latest'].map((tag) => `tag ${auth.join(' ')} ${REF}@${m} ${tag}`).sort());
    const sentFor = (digest: string) =>
      Buffer.from(Object.values(calls.find((c) => c.args[1] === 'push' && c.args.includes(`${REF}@${digest}`))!.files)[0]!, 'base64');
    expect([config, layer, manifest].map((blob) => Buffer.compare(sentFor(blob.descriptor.digest), Buffer.from(blob.bytes)))).toEqual([0, 0, 0]);
    const sentManifest = JSON.parse(sentFor(m).toString('utf8'));
    expect(sentManifest.config.mediaType).toBe('application/vnd.cncf.falco.rulesfile.config.v1+json');
    expect(sentManifest.layers).toEqual([
      {
        mediaType: 'application/vnd.cncf.falco.rulesfile.layer.v1+tar.gz',
        digest: layer.descriptor.digest,
        size: layer.descriptor.size,
        annotations: { 'org.opencontainers.image.title': 'falco-rules-production.yaml.tar.gz' },
      },
    ]);
    for (const c of calls) {
      expect(c.args.join(' ')).not.toContain('s3cret-pass-789');
      expect(c.stdin).toBe('s3cret-pass-789\n');
    }
    const report = JSON.parse(t.out.join('')).artifacts[0];
    expect(report.digest).toBe(m);
    expect(report.tags.map((x: { tag: string; action: string }) => `${x.tag}:${x.action}`)).toEqual([
      '1.7.0:created',
      '1.7:created',
      '1:created',
      'latest:created',
    ]);
  });

  it('a failing oras is a clean error naming the command, with no secret, and nothing is tagged', async () => {
    const t = await setUp({ ORAS_FAIL: 'manifest push', ORAS_USER: 'ci' }, 's3cret-pass-789\n');
    const code = await runCli(
      ['publish', '--backend', 'oras', '--registry', '127.0.0.1:5999', '--username', 'ci', '--password-stdin', '--format', 'json'],
      t.io,
    );
    expect(code).toBe(1);
    const error = JSON.parse(t.out.join('')).artifacts[0].error;
    expect(error.kind).toBe('tool');
    expect(error.message).toBe(
      `oras manifest push --descriptor --media-type application/vnd.oci.image.manifest.v1+json ${REF}@${t.packed.manifest.descriptor.digest} manifest.json failed (exit status 3): Error: failed to push: unauthorized: credential *** rejected`,
    );
    expect([...t.out, ...t.err].join('')).not.toContain('s3cret-pass-789');
    expect((await t.invocations()).some((c) => c.args[0] === 'tag')).toBe(false);
  });

  it('an oras that reports another size than we pushed is refused before any tag', async () => {
    const t = await setUp({ ORAS_SHORT: '1' });
    expect(await runCli(['publish', '--backend', 'oras', '--registry', '127.0.0.1:5999', '--format', 'json'], t.io)).toBe(1);
    const error = JSON.parse(t.out.join('')).artifacts[0].error;
    expect(error.kind).toBe('digest-mismatch');
    expect(error.message).toContain(`expected ${t.packed.config.descriptor.digest} (${t.packed.config.descriptor.size} bytes)`);
    expect((await t.invocations()).some((c) => c.args[0] === 'tag' || (c.args[0] === 'manifest' && c.args[1] === 'push'))).toBe(false);
  });

  it("an identity token from Docker's config goes to oras as --identity-token-stdin", async () => {
    const t = await setUp();
    await writeFile(join(t.dir, 'config.json'), JSON.stringify({ auths: { '127.0.0.1:5999': { identitytoken: 'refresh-tok-321' } } }));
    t.io.env.DOCKER_CONFIG = t.dir;
    expect(await runCli(['publish', '--backend', 'oras', '--registry', '127.0.0.1:5999'], t.io)).toBe(0);
    const calls = await t.invocations();
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) {
      expect(c.args.slice(0, 4).filter((a) => a.startsWith('--'))).toEqual(['--plain-http', '--identity-token-stdin']);
      expect(c.args.join(' ')).not.toContain('refresh-tok-321');
      expect(c.stdin).toBe('refresh-tok-321\n');
    }
  });

  it('without oras on PATH the error says so', async () => {
    const t = await setUp();
    t.io.env.PATH = join(t.dir, 'empty');
    expect(await runCli(['publish', '--backend', 'oras', '--registry', '127.0.0.1:5999', '--format', 'json'], t.io)).toBe(1);
    expect(JSON.parse(t.out.join('')).artifacts[0].error.message).toBe(
      `oras is not installed or not on PATH (needed by --backend oras; tried: oras repo tags ${REF})`,
    );
  });
});

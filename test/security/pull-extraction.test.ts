/**
 * A hostile artifact must not write outside the out dir nor anywhere but plain top-level files:
 * `.git/config` in the repository `pull` runs in stays as it was (core.fsmonitor would run code),
 * a symlinked folder or file in the out dir is never followed, and replaced files are named.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { serveArtifact, startHostileServer, tarGz, type HostileServer } from './hostile-registry.js';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { pushRawArtifact, registry as real, STACK_TRACE, uniqueRepository, withRegistry } from './real-registry.js';

let server: HostileServer;
beforeAll(async () => {
  server = await startHostileServer();
});
afterAll(async () => server.close());

function gitRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fg-pull-repo-'));
  execFileSync('git', ['init', '-q', dir]);
  return dir;
}

async function pull(tag: string, cwd: string, out = '.'): Promise<Awaited<ReturnType<typeof run>>> {
  return run(['pull', `${server.address}/acme/rules:${tag}`, '--out', out], { cwd, env: { HOME: cwd } });
}

describe('pull refuses entries that are not plain top-level files', () => {
  it.each([
    ['.git/config', '[core]\n\tfsmonitor = "touch /tmp/pwned"\n'],
    ['.gitattributes', '* filter=evil\n'],
    ['a/b/c.yaml', '- list: x\n  items: []\n'],
    ['../escape.yaml', '- list: x\n  items: []\n'],
  ])('%s', async (name, body) => {
    const repo = gitRepo();
    const before = readFileSync(join(repo, '.git', 'config'), 'utf8');
    serveArtifact(
      server,
      'hostile',
      await tarGz([
        { name: 'rules.yaml', body: '- list: ok\n  items: []\n' },
        { name, body },
      ]),
    );
    const r = await pull('hostile', repo);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`unsafe archive entry '${name}'`);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(readFileSync(join(repo, '.git', 'config'), 'utf8')).toBe(before);
    // nothing at all was written, not even the good entry
    expect(readdirSync(repo).sort()).toEqual(['.git']);
  });
});

describe('pull never writes through or over a symbolic link', () => {
  it('a symlinked folder in the out dir is not followed', async () => {
    const repo = gitRepo();
    const outside = mkdtempSync(join(tmpdir(), 'fg-outside-'));
    symlinkSync(outside, join(repo, 'a'));
    serveArtifact(server, 'nested', await tarGz([{ name: 'a/c.yaml', body: 'x' }]));
    const r = await pull('nested', repo);
    expect(r.code).toBe(1);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('a symlinked file in the out dir is neither followed nor replaced', async () => {
    const repo = gitRepo();
    const outside = mkdtempSync(join(tmpdir(), 'fg-outside-'));
    writeFileSync(join(outside, 'target.yaml'), 'mine\n');
    symlinkSync(join(outside, 'target.yaml'), join(repo, 'rules.yaml'));
    serveArtifact(server, 'plain', await tarGz([{ name: 'rules.yaml', body: '- list: theirs\n  items: []\n' }]));
    const r = await pull('plain', repo);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/rules\.yaml is a symbolic link/);
    expect(readFileSync(join(outside, 'target.yaml'), 'utf8')).toBe('mine\n');
    expect(lstatSync(join(repo, 'rules.yaml')).isSymbolicLink()).toBe(true);
  });
});

describe('pull writes plain files atomically and says what it replaced', () => {
  it('reports replaced and new files, leaves no temp file', async () => {
    const repo = gitRepo();
    const out = join(repo, 'rules', 'upstream');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'falco_rules.yaml'), 'old\n');
    serveArtifact(
      server,
      'good',
      await tarGz([
        { name: 'falco_rules.yaml', body: 'new\n' },
        { name: 'extra_rules.yaml', body: 'extra\n' },
      ]),
    );
    const r = await run(['pull', `${server.address}/acme/rules:good`, '--out', 'rules/upstream', '--format', 'json'], { cwd: repo, env: { HOME: repo } });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { files: string[]; replaced: string[] };
    expect(json.replaced).toEqual([join(out, 'falco_rules.yaml')]);
    expect(json.files.sort()).toEqual([join(out, 'extra_rules.yaml'), join(out, 'falco_rules.yaml')]);
    expect(readFileSync(join(out, 'falco_rules.yaml'), 'utf8')).toBe('new\n');
    expect(readdirSync(out).sort()).toEqual(['extra_rules.yaml', 'falco_rules.yaml']);
    const text = await pull('good', repo, 'rules/upstream');
    expect(text.stdout).toContain(`replaced ${join(out, 'falco_rules.yaml')}`);
    expect(existsSync(join(repo, '.git', 'config'))).toBe(true);
  });
});

withRegistry("pull of a hostile artifact stored in Debian's docker-registry", () => {
  /** Every path under `dir` with file contents (links not followed), to compare before and after. */
  function snapshot(dir: string): Record<string, string> {
    const out: Record<string, string> = {};
    const walk = (d: string, prefix: string): void => {
      for (const name of readdirSync(d).sort()) {
        const p = join(d, name);
        const st = lstatSync(p);
        if (st.isDirectory() && !st.isSymbolicLink()) walk(p, `${prefix}${name}/`);
        else out[`${prefix}${name}`] = st.isSymbolicLink() ? '(link)' : readFileSync(p, 'utf8');
      }
    };
    walk(dir, '');
    return out;
  }
  async function pushed(entries: { name: string; body: string }[]): Promise<string> {
    const pack = tar.pack();
    for (const e of entries) pack.entry({ name: e.name }, e.body);
    pack.finalize();
    const chunks: Buffer[] = [];
    for await (const c of pack) chunks.push(c as Buffer);
    const repository = uniqueRepository('pull');
    await pushRawArtifact(repository, '1.0.0', gzipSync(Buffer.concat(chunks)));
    return `${real.open}/${repository}:1.0.0`;
  }

  it('.git/config in the artifact, pulled into a repository root (the default --out): refused whole, the tree unchanged', async () => {
    const ref = await pushed([
      { name: 'rules.yaml', body: '- list: x\n  items: []\n' },
      { name: '.git/config', body: '[core]\n\tfsmonitor = "touch /tmp/pwned"\n' },
    ]);
    const repo = gitRepo();
    const before = snapshot(repo);
    const r = await run(['pull', ref], { cwd: repo, env: { HOME: repo } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unsafe archive entry '.git/config'");
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(snapshot(repo)).toEqual(before); // .git/config as it was, and not even rules.yaml written
  });

  it.each(['a\nb.yaml', '..\\escape.yaml', '..'])('an entry named %j refuses the whole artifact; nothing is written in or beside the out dir', async (name) => {
    const ref = await pushed([
      { name: 'good.yaml', body: 'good' },
      { name, body: 'bad' },
    ]);
    const parent = mkdtempSync(join(tmpdir(), 'fg-sec-out-'));
    mkdirSync(join(parent, 'out'));
    const r = await run(['pull', ref, '--out', join(parent, 'out'), '--format', 'json'], { cwd: parent, env: { HOME: parent } });
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { files: string[]; error: { kind: string; message: string } };
    expect(json.error.message).toMatch(/unsafe archive entry/);
    expect(json.files).toEqual([]);
    expect(snapshot(parent)).toEqual({});
  });
});

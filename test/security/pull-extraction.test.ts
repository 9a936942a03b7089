import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { pushRawArtifact, registry, STACK_TRACE, uniqueRepository, withRegistry } from './hostile.js';

type Entry = { name: string; body?: string; type?: 'file' | 'directory' | 'symlink'; linkname?: string };

async function layer(entries: Entry[]): Promise<Uint8Array> {
  const pack = tar.pack();
  for (const e of entries) pack.entry({ name: e.name, type: e.type ?? 'file', ...(e.linkname ? { linkname: e.linkname } : {}) }, e.type && e.type !== 'file' ? undefined : (e.body ?? ''));
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return gzipSync(Buffer.concat(chunks));
}

/** A real git repository in a temp dir, as a CI checkout: pull's default --out is its root. */
function gitRepo(): { root: string; gitConfig: () => string } {
  const root = mkdtempSync(join(tmpdir(), 'fg-sec-pull-'));
  execFileSync('git', ['init', '-q', root]);
  return { root, gitConfig: () => readFileSync(join(root, '.git', 'config'), 'utf8') };
}

/** Every path under `dir` (links not followed), with file contents, to compare before and after. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out[`${prefix}${name}`] = `-> ${readlinkSync(p)}`;
      else if (st.isDirectory()) walk(p, `${prefix}${name}/`);
      else out[`${prefix}${name}`] = readFileSync(p, 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

async function pushed(entries: Entry[]): Promise<string> {
  const repository = uniqueRepository('pull');
  await pushRawArtifact(repository, '1.0.0', await layer(entries));
  return `${registry.open}/${repository}:1.0.0`;
}

withRegistry('pull of a hostile artifact from a real registry', () => {
  it('a .git/config entry into a repository root (the default --out) is refused; .git/config and the tree are unchanged', async () => {
    const ref = await pushed([
      { name: 'rules.yaml', body: '- list: x\n  items: []\n' },
      { name: '.git/config', body: '[core]\n\tfsmonitor = "touch /tmp/pwned"\n' },
    ]);
    const repo = gitRepo();
    const before = snapshot(repo.root);
    const r = await run(['pull', ref], { cwd: repo.root });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unsafe archive entry '.git/config'");
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(repo.gitConfig()).not.toContain('fsmonitor');
    expect(snapshot(repo.root)).toEqual(before); // not even rules.yaml: the whole artifact is refused
  });

  it.each([
    ['a nested path', 'rules/extra.yaml', /not a top-level file name/],
    ['a dotfile', '.bashrc', /hidden or relative name/],
    ['a parent reference', '../escape.yaml', /not a top-level file name/],
    ['a backslash path', '..\\escape.yaml', /not a top-level file name/],
    ['a control character', 'a\nb.yaml', /unsafe archive entry 'a\\nb\.yaml': control character/],
  ])('%s (%j) refuses the whole artifact with a coded error naming the entry', async (_what, name, message) => {
    const ref = await pushed([
      { name: 'good.yaml', body: 'good' },
      { name, body: 'bad' },
    ]);
    const parent = mkdtempSync(join(tmpdir(), 'fg-sec-out-'));
    const out = join(parent, 'out');
    mkdirSync(out);
    const r = await run(['pull', ref, '--out', out, '--format', 'json'], { cwd: parent });
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { files: string[]; error: { kind: string; message: string } };
    expect(json.error.kind).toBe('unsafe-entry');
    expect(json.error.message).toMatch(message);
    expect(json.files).toEqual([]);
    expect(snapshot(parent)).toEqual({}); // nothing in the out dir, nothing beside it
  });

  it('an entry under a symlinked folder of the out dir never lands outside it', async () => {
    const ref = await pushed([{ name: 'a/b/c.yaml', body: 'outside' }]);
    const outside = mkdtempSync(join(tmpdir(), 'fg-sec-outside-'));
    mkdirSync(join(outside, 'b'));
    const repo = gitRepo();
    symlinkSync(outside, join(repo.root, 'a'));
    const r = await run(['pull', ref], { cwd: repo.root });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unsafe archive entry 'a/b/c.yaml'");
    expect(snapshot(outside)).toEqual({}); // the folder b stays empty
    expect(readdirSync(join(outside, 'b'))).toEqual([]);
  });

  it('a symbolic link in the out dir with an entry name is neither followed nor replaced', async () => {
    const ref = await pushed([{ name: 'rules.yaml', body: 'from the artifact' }]);
    const outside = join(mkdtempSync(join(tmpdir(), 'fg-sec-outside-')), 'victim.txt');
    writeFileSync(outside, 'precious');
    const out = mkdtempSync(join(tmpdir(), 'fg-sec-out-'));
    symlinkSync(outside, join(out, 'rules.yaml'));
    const r = await run(['pull', ref, '--out', out], { cwd: out });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/entry 'rules\.yaml': .*rules\.yaml is a symbolic link; it is not replaced/);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(readFileSync(outside, 'utf8')).toBe('precious');
    expect(lstatSync(join(out, 'rules.yaml')).isSymbolicLink()).toBe(true);
    expect(readdirSync(out)).toEqual(['rules.yaml']); // no temp file left behind
  });

  it('existing files are replaced atomically and said to be, in text and JSON', async () => {
    const ref = await pushed([
      { name: 'falco_rules.yaml', body: 'new rules' },
      { name: 'extra.yaml', body: 'extra' },
    ]);
    const out = mkdtempSync(join(tmpdir(), 'fg-sec-out-'));
    writeFileSync(join(out, 'falco_rules.yaml'), 'old rules');
    const json = await run(['pull', ref, '--out', out, '--format', 'json'], { cwd: out });
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { files: string[]; replaced: string[]; error: null };
    expect(parsed.files.sort()).toEqual([join(out, 'extra.yaml'), join(out, 'falco_rules.yaml')]);
    expect(parsed.replaced).toEqual([join(out, 'falco_rules.yaml')]);
    expect(snapshot(out)).toEqual({ 'extra.yaml': 'extra', 'falco_rules.yaml': 'new rules' });
    const text = await run(['pull', ref, '--out', out], { cwd: out });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`${join(out, 'falco_rules.yaml')} (replaced the existing file)`);
    expect(text.stdout).toContain(`${join(out, 'extra.yaml')} (replaced the existing file)`);
  });
});

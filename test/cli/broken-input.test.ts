/**
 * Every command meets broken input with one clear line and exit 1 or 2, never a stack trace: an
 * unknown flag, a configuration that is not YAML, a Docker config that is not JSON, missing files.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';

/** A repository whose configuration, environment and Docker config are all broken. */
function brokenRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fg-broken-'));
  writeFileSync(join(dir, 'falco-gitops.yaml'), 'environments: [unclosed\n');
  mkdirSync(join(dir, 'environments', 'prod'), { recursive: true });
  writeFileSync(join(dir, 'environments', 'prod', 'environment.yaml'), 'version: [1\n');
  mkdirSync(join(dir, '.docker'));
  writeFileSync(join(dir, '.docker', 'config.json'), '{"auths": ');
  writeFileSync(join(dir, 'alerts.jsonl'), '{not json\n');
  writeFileSync(join(dir, 'a-file'), 'x');
  return dir;
}

const COMMANDS: [string, string[]][] = [
  ['compile', ['compile', 'missing.yaml']],
  ['validate', ['validate']],
  ['build', ['build']],
  ['explain', ['explain', 'Some rule', '--env', 'prod']],
  ['init', ['init', 'a-file']],
  ['lint', ['lint']],
  ['test', ['test']],
  ['replay', ['replay', '--alerts', 'alerts.jsonl', '--base', 'HEAD']],
  ['alerts summarize', ['alerts', 'summarize', 'missing.jsonl']],
  ['publish', ['publish', '--registry', '127.0.0.1:9']],
  ['pull', ['pull', '127.0.0.1:9/acme/rules:1']],
  ['index', ['index']],
  ['upstream pull', ['upstream', 'pull', 'falco_rules', '--version', '1.0.0', '--from', '127.0.0.1:9/acme/rules:1']],
  ['upstream check', ['upstream', 'check']],
  ['upstream update', ['upstream', 'update', '--to', 'missing.yaml']],
  ['upstream latest', ['upstream', 'latest']],
  ['diff', ['diff', '--base', 'HEAD']],
  ['ci', ['ci']],
  ['comment', ['comment', '--file', 'missing.md']],
  ['release', ['release', '--dry-run']],
  ['site', ['site', '--out', 'a-file']],
];

function expectOneClearError(r: { code: number; stdout: string; stderr: string }): void {
  expect([1, 2]).toContain(r.code);
  const all = `${r.stdout}${r.stderr}`;
  expect(all).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/);
  expect(r.stderr.trim().length + r.stdout.trim().length).toBeGreaterThan(0);
}

describe('every command, given an unknown flag', () => {
  it.each(COMMANDS)('%s exits 2 naming the flag', async (_name, argv) => {
    const dir = brokenRepo();
    const r = await run([...argv, '--no-such-flag'], { cwd: dir, env: { HOME: dir } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--no-such-flag'");
  });
});

describe('every command, given broken input', () => {
  it.each(COMMANDS)('%s exits 1 or 2 with a message and no stack trace', async (_name, argv) => {
    const dir = brokenRepo();
    const r = await run(argv, { cwd: dir, env: { HOME: dir, DOCKER_CONFIG: join(dir, '.docker') } });
    expectOneClearError(r);
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, inject } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { packArtifact, writeOciLayout, type ArtifactInput } from '../../src/oci/index.js';

export const registry = inject('registry');
/** `describe` when the test registry runs, else `describe.skip` (setup fails instead when CI=true). */
export const withRegistry = registry.available ? describe : describe.skip;
if (!registry.available) console.warn(registry.reason);

export function captureIO(cwd: string, stdin = '', env: Record<string, string> = {}): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { cwd, env: { HOME: cwd, ...env }, stdout: (t) => out.push(t), stderr: (t) => err.push(t), readStdin: async () => stdin, isTTY: false, out, err };
}

/** A temp directory holding `out/oci`, the layout `build` would write for these artifacts. */
export async function layoutWith(inputs: ArtifactInput[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fg-pub-'));
  await writeOciLayout(join(dir, 'out', 'oci'), inputs.map(packArtifact));
  return dir;
}

const run = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
let counter = 0;

/** A suffix no other test (in this or a parallel file) uses, for repository names in the shared registry. */
export function uniqueSuffix(): string {
  counter++;
  return `${run}-${counter}`;
}

export function uniqueRepo(): string {
  return `ghcr.io/acme/rules-${uniqueSuffix()}`;
}

export function skopeo(args: string[]): string {
  return execFileSync('skopeo', args, { encoding: 'utf8' });
}

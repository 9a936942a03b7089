import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  DEFAULT_RETRY,
  HttpClient,
  OciError,
  openRegistryStore,
  parseReference,
  pullArtifact,
  type Credential,
  type SecretSet,
  type Store,
} from '../oci/index.js';
import { parseFormat, type CliCommand } from './command.js';
import { CLEAN, FINDINGS, inputError, usageError, type Outcome } from './exit.js';
import type { CliIO } from './io.js';
import { addCredentialOptions, openRegistryCredentials, type CredentialFlags } from './registry-credentials.js';
import { formatOption } from './options.js';
import { USER_AGENT } from './tool-info.js';
import { renderJsonDocument } from '../report/index.js';

interface PullFlags extends CredentialFlags {
  out: string;
  plainHttp?: boolean;
  format: string;
}

export const pullCommand: CliCommand = {
  name: 'pull',
  register(program: Command, io: CliIO, done) {
    const command = program
      .command('pull')
      .description('Fetch a falcoctl rulesfile artifact, verify every digest and extract its rules file safely')
      .argument('<ref>', 'registry/repository:tag or registry/repository@sha256:…')
      .option('--out <dir>', 'directory to write the rules file(s) into', '.')
      .option('--plain-http', 'use plain HTTP for a non-loopback registry');
    addCredentialOptions(command)
      .addOption(formatOption(['text', 'json'], 'text or json'))
      .addHelpText(
        'after',
        `
Examples:
  falco-gitops pull ghcr.io/falcosecurity/rules/falco-rules:3 --out rules/upstream
  falco-gitops pull 127.0.0.1:5000/acme/rules@sha256:… --format json

A rulesfile artifact is flat: entries with folders, hidden names (such as .git/config), links or
oversized content are refused, and nothing is written through or over a symbolic link in --out.
Each file is written atomically; files that existed before are listed as replaced.

Exit codes: 0 pulled and verified · 1 the pull or a digest check failed · 2 usage or credentials error`,
      )
      .action(async (ref: string, flags: PullFlags) => done(await runPull(ref, flags, io)));
  },
};

async function runPull(text: string, flags: PullFlags, io: CliIO): Promise<Outcome> {
  const format = parseFormat(flags.format, ['text', 'json'] as const);
  const opened = await openPullStore(text, flags, io);
  if (!opened.ok) return opened.outcome;
  const { store, ref, secrets } = opened;
  const result = await pullArtifact(store, ref, { outDir: resolve(io.cwd, flags.out) });
  if (format === 'json') {
    const json = {
      digest: result.digest,
      config: result.config,
      files: result.written,
      replaced: result.replaced,
      error: result.error ? result.error.toJSON() : null,
    };
    io.stdout(secrets.redact(renderJsonDocument(json)));
  } else if (result.error) {
    io.stderr(secrets.redact(`pull failed: ${result.error.message}\n`));
  } else {
    const replaced = new Set(result.replaced);
    io.stdout(`pulled ${text} (${result.digest})\n${result.written.map((p) => `  ${replaced.has(p) ? 'replaced' : 'wrote'} ${p}\n`).join('')}`);
  }
  return result.error ? FINDINGS : CLEAN;
}

/** The registry store a reference names, with credentials resolved; the ref to pull (digest, tag or latest). */
export async function openPullStore(
  text: string,
  flags: CredentialFlags & { plainHttp?: boolean },
  io: CliIO,
): Promise<{ ok: true; store: Store; ref: string; secrets: SecretSet } | { ok: false; outcome: Outcome }> {
  const parsed = parseReference(text);
  if (!parsed.ok) return { ok: false, outcome: usageError(parsed.message) };
  const ref = parsed.ref;
  const opened = await openRegistryCredentials(flags, io);
  if (!opened.ok) return { ok: false, outcome: opened.outcome };
  const { secrets, forRegistry } = opened.value;
  let credential: Credential | null;
  try {
    credential = await forRegistry(ref.registry);
  } catch (err) {
    if (err instanceof OciError) return { ok: false, outcome: inputError(secrets.redact(err.message)) };
    throw err;
  }
  const http = new HttpClient({ userAgent: USER_AGENT, timeoutMs: 60_000, retry: DEFAULT_RETRY, secrets });
  const store = openRegistryStore({ registry: ref.registry, repository: ref.repository, plainHttp: Boolean(flags.plainHttp) }, credential, http);
  return { ok: true, store, ref: ref.digest ?? ref.tag ?? 'latest', secrets };
}

import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  LayoutStore,
  OciError,
  checkCosignIdentity,
  indexEntryFor,
  readLayoutIndex,
  readManifestAnnotations,
  splitRepository,
  writeIndexFile,
  type CosignIdentity,
  type IndexEntry,
  type IndexMetadata,
} from '../oci/index.js';
import { parseFormat, type CliCommand } from './command.js';
import { CLEAN, inputError, usageError, type Outcome } from './exit.js';
import type { CliIO } from './io.js';
import { envOption, formatOption, repeatableOption } from './options.js';
import { renderJsonDocument } from '../report/index.js';

/** Entry metadata flags, shared by `index` and `publish --index`. */
export interface IndexMetadataFlags {
  description?: string;
  home?: string;
  keyword: string[];
  license: string;
  maintainer: string[];
  source: string[];
  certificateOidcIssuer?: string;
  certificateOidcIssuerRegexp?: string;
  certificateIdentity?: string;
  certificateIdentityRegexp?: string;
  certificateGithubWorkflow?: string;
}

export function addIndexMetadataOptions(command: Command): Command {
  return command
    .option('--description <text>', 'index entry description (default: "Falco rules for the <env> environment")')
    .option('--home <url>', "index entry home page (default: the manifest's source annotation)")
    .addOption(repeatableOption('--keyword <word>', 'index entry keyword', 'falco, rules, <env>'))
    .option('--license <spdx>', 'index entry license', 'Apache-2.0')
    .addOption(repeatableOption('--maintainer <"Name <email>">', 'index entry maintainer', 'none'))
    .addOption(repeatableOption('--source <url>', 'index entry source URL', "the manifest's source annotation"))
    .option('--certificate-oidc-issuer <url>', 'cosign keyless signature: OIDC issuer falcoctl verifies')
    .option('--certificate-oidc-issuer-regexp <re>', 'cosign keyless signature: OIDC issuer pattern')
    .option('--certificate-identity <id>', 'cosign keyless signature: signing identity')
    .option('--certificate-identity-regexp <re>', 'cosign keyless signature: signing identity pattern')
    .option('--certificate-github-workflow <name>', 'cosign keyless signature: GitHub workflow that signed');
}

/** The metadata the flags describe, or a usage error message. */
export function indexMetadataFromFlags(flags: IndexMetadataFlags): { ok: true; value: IndexMetadata } | { ok: false; message: string } {
  const maintainers: IndexMetadata['maintainers'] = [];
  for (const m of flags.maintainer) {
    const parsed = /^\s*(.*?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(m);
    if (!parsed || !parsed[1]) return { ok: false, message: `--maintainer must look like "Name <email>", not '${m}'` };
    maintainers.push({ name: parsed[1], email: parsed[2] });
  }
  const meta: IndexMetadata = { license: flags.license, maintainers };
  if (flags.description !== undefined) meta.description = flags.description;
  if (flags.home !== undefined) meta.home = flags.home;
  if (flags.keyword.length > 0) meta.keywords = flags.keyword;
  if (flags.source.length > 0) meta.sources = flags.source;
  const cosign: CosignIdentity = {};
  if (flags.certificateOidcIssuer) cosign.certificateOidcIssuer = flags.certificateOidcIssuer;
  if (flags.certificateOidcIssuerRegexp) cosign.certificateOidcIssuerRegexp = flags.certificateOidcIssuerRegexp;
  if (flags.certificateIdentity) cosign.certificateIdentity = flags.certificateIdentity;
  if (flags.certificateIdentityRegexp) cosign.certificateIdentityRegexp = flags.certificateIdentityRegexp;
  if (flags.certificateGithubWorkflow) cosign.certificateGithubWorkflow = flags.certificateGithubWorkflow;
  if (Object.keys(cosign).length > 0) {
    const problem = checkCosignIdentity(cosign);
    if (problem) return { ok: false, message: problem };
    meta.signature = cosign;
  }
  return { ok: true, value: meta };
}

/** A repository moved to another registry host (`--registry`), or as it is. */
export function onRegistry(repository: string, registry: string | undefined): string | null {
  const split = splitRepository(repository);
  if (!split) return null;
  return `${registry ?? split.registry}/${split.repository}`;
}

interface IndexFlags extends IndexMetadataFlags {
  layout: string;
  file: string;
  env: string[];
  registry?: string;
  format: string;
}

export const indexCommand: CliCommand = {
  name: 'index',
  register(program: Command, io: CliIO, done) {
    const command = program
      .command('index')
      .description('Write or update a falcoctl index file (index.yaml) with one rulesfile entry per artifact of the OCI layout `build` wrote')
      .option('--layout <dir>', 'OCI layout written by build --out DIR (at DIR/oci)', 'out/oci')
      .option('--file <path>', 'index file to create or update', 'index.yaml')
      .addOption(envOption('only this environment'))
      .option('--registry <host>', 'the registry host the artifacts are published on, when not the configured one');
    addIndexMetadataOptions(command)
      .addOption(formatOption(['text', 'json'], 'text or json'))
      .addHelpText(
        'after',
        `
Examples:
  falco-gitops index                                      # index.yaml for every environment in out/oci
  falco-gitops index --maintainer "Security <sec@acme.example>" --keyword acme
  falco-gitops index --certificate-oidc-issuer https://token.actions.githubusercontent.com \\
      --certificate-identity-regexp '^https://github.com/acme/rules/'
  falcoctl index add acme https://acme.example/index.yaml  # then, on every node

Entries of other artifacts already in the file are kept; entries are sorted by name.
The file is replaced atomically.

Exit codes: 0 written · 2 unreadable layout or index, or usage error`,
      )
      .action(async (flags: IndexFlags) => done(await runIndex(flags, io)));
  },
};

async function runIndex(flags: IndexFlags, io: CliIO): Promise<Outcome> {
  const format = parseFormat(flags.format, ['text', 'json'] as const);
  const meta = indexMetadataFromFlags(flags);
  if (!meta.ok) return usageError(meta.message);
  const layoutDir = resolve(io.cwd, flags.layout);
  const store = new LayoutStore(layoutDir);
  const entries: IndexEntry[] = [];
  try {
    const layout = await readLayoutIndex(layoutDir);
    const unknown = flags.env.filter((n) => !layout.some((e) => e.environment === n));
    if (unknown.length > 0) return usageError(`no artifact for environment(s) ${unknown.join(', ')} in ${flags.layout}`);
    for (const e of layout) {
      if (flags.env.length > 0 && (e.environment === null || !flags.env.includes(e.environment))) continue;
      const repository = e.repository ? onRegistry(e.repository, flags.registry) : null;
      if (!repository || !e.environment) return inputError(`${flags.layout}: manifest ${e.descriptor.digest} lacks its environment or repository annotation`);
      const annotations = readManifestAnnotations(await store.fetch(e.descriptor));
      const entry = indexEntryFor({ environment: e.environment, repository, manifestAnnotations: annotations }, meta.value);
      if (!entries.some((x) => x.name === entry.name && x.repository === entry.repository && x.registry === entry.registry)) entries.push(entry);
    }
    await writeIndexFile(resolve(io.cwd, flags.file), entries);
  } catch (err) {
    if (err instanceof OciError) return inputError(err.message);
    throw err;
  }
  if (format === 'json') io.stdout(renderJsonDocument({ file: flags.file, entries }));
  else io.stdout(`${flags.file}: ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} written (${entries.map((e) => e.name).join(', ')})\n`);
  return CLEAN;
}

import type { Command } from 'commander';
import { execFile } from 'node:child_process';
import { isAbsolute, resolve } from 'node:path';
import {
  appendOutputs,
  appendStepSummary,
  githubActionsSignature,
  readGitHubContext,
  runRelease,
  type ReleaseResult,
  type SignResult,
} from '../automation/index.js';
import { DEFAULT_RETRY, HttpClient, openRegistryStore, splitRepository, type CosignIdentity, type PublishedTag } from '../oci/index.js';
import { parseFormat, type CliCommand } from './command.js';
import { CLEAN, FINDINGS, inputError, usageError } from './exit.js';
import { shellQuote } from './shell-quote.js';
import type { CliIO } from './io.js';
import { openRegistryCredentials } from './registry-credentials.js';
import { envOption, formatOption, registryOption } from './options.js';
import { placeholderRegistryNote } from './placeholder-registry.js';
import { USER_AGENT } from './tool-info.js';

const FORMATS = ['text', 'json'] as const;

interface ReleaseFlags {
  env: string[];
  ref: string;
  registry: string[];
  notesDir?: string;
  index?: string;
  signCommand?: string;
  signatureIssuer?: string;
  signatureIdentity?: string;
  sourceUrl?: string;
  dryRun?: boolean;
  format: string;
}

export const releaseCommand: CliCommand = {
  name: 'release',
  register(program: Command, io, done) {
    program
      .command('release')
      .description(
        'Publish every environment whose effective ruleset changed since its last <env>/v* tag: next version from the diff, build, publish, sign, release notes and index entry, then the git tag',
      )
      .addOption(envOption('release only this environment'))
      .option('--ref <rev>', 'the revision to release', 'HEAD')
      .addOption(registryOption())
      .option('--notes-dir <dir>', 'write release notes (Markdown: the diff since the last release) to DIR/<env>.md')
      .option('--index <file>', "add or update the environments' entries in this falcoctl index file")
      .option('--sign-command <cmd>', 'shell command that signs an artifact by digest; {ref} is replaced by <repository>@<digest> (also in $ARTIFACT_REF)')
      .option(
        '--signature-issuer <url>',
        'cosign certificate OIDC issuer recorded in the index entries (default under GitHub Actions: the Actions token issuer)',
      )
      .option(
        '--signature-identity <regexp>',
        'cosign certificate identity regexp recorded in the index entries (default under GitHub Actions: this repository)',
      )
      .option('--source-url <url>', 'the repository URL for the artifact annotation and index entry')
      .option('--dry-run', 'only say what would be released')
      .addOption(formatOption(FORMATS, 'text or json'))
      .addHelpText(
        'after',
        `
A tag <env>/v<version> is created only after the artifact is published (and signed, with
--sign-command) on every registry; push the tags afterwards (git push origin --tags). With several
registries (artifact.registries, defaults.registries or a repeated --registry) every registry gets the
version first and floating tags move only once all have it; a failure on one leaves floating tags
everywhere where they were, no git tag, and exit 1; the next run completes it. Registry credentials:
FALCO_GITOPS_REGISTRY_USERNAME and FALCO_GITOPS_REGISTRY_PASSWORD, else Docker's config.json.

Examples:
  falco-gitops release --dry-run
  falco-gitops release --notes-dir out/notes --index pages/index.yaml --sign-command 'cosign sign --yes {ref}'
  falco-gitops release --env production --registry 127.0.0.1:5000 --format json
  falco-gitops release --registry ghcr.io --registry registry.eu.example

Under GitHub Actions the outputs released (JSON list) and tags (space-separated) are set in GITHUB_OUTPUT.

Exit codes: 0 released (or nothing to release) · 1 an environment failed to publish, sign or tag · 2 usage or input error`,
      )
      .action(async (flags: ReleaseFlags) => {
        const format = parseFormat(flags.format, FORMATS);
        const github = readGitHubContext(io.env);
        const signature = signatureFrom(
          flags,
          github.actions && github.repository !== null ? githubActionsSignature(github.serverUrl, github.repository) : null,
        );
        if (signature === 'partial') return done(usageError('--signature-issuer and --signature-identity go together'));
        const opened = await openRegistryCredentials({}, io);
        if (!opened.ok) return done(opened.outcome);
        const { secrets, forRegistry } = opened.value;
        const http = new HttpClient({ userAgent: USER_AGENT, timeoutMs: 60_000, retry: DEFAULT_RETRY, secrets });
        let placeholderNoted = false;
        const result = await runRelease({
          repoDir: io.cwd,
          ref: flags.ref,
          environments: flags.env,
          ...(flags.registry.length === 0 ? {} : { registries: flags.registry }),
          openStore: async (repository) => {
            const note = placeholderNoted ? undefined : placeholderRegistryNote([repository]);
            if (note !== undefined) io.stderr(note);
            placeholderNoted ||= note !== undefined;
            const target = splitRepository(repository);
            if (target === null) throw new Error(`'${repository}' is not a repository reference`);
            return openRegistryStore(target, await forRegistry(target.registry), http);
          },
          ...(flags.signCommand === undefined ? {} : { sign: (ref: string) => runSignCommand(flags.signCommand!, ref, io) }),
          notesDir: flags.notesDir === undefined ? null : absolute(io.cwd, flags.notesDir),
          indexFile: flags.index === undefined ? null : absolute(io.cwd, flags.index),
          signature,
          ...(flags.sourceUrl !== undefined
            ? { sourceUrl: flags.sourceUrl }
            : github.repository !== null
              ? { sourceUrl: `${github.serverUrl}/${github.repository}` }
              : {}),
          dryRun: Boolean(flags.dryRun),
          onProgress: (line) => io.stderr(`${secrets.redact(line)}\n`),
        });
        if (result.error !== undefined) return done(inputError(secrets.redact(result.error)));
        io.stdout(secrets.redact(format === 'json' ? `${JSON.stringify({ schemaVersion: 1, ...result }, null, 2)}\n` : renderRelease(result)));
        if (github.actions) {
          const released = result.releases.filter((r) => r.gitTag !== undefined);
          try {
            if (github.outputPath !== null) {
              await appendOutputs(github.outputPath, {
                released: JSON.stringify(
                  released.map((r) => ({
                    environment: r.environment,
                    version: r.decision.action === 'publish' ? r.decision.version : '',
                    tag: r.gitTag,
                    reference: r.reference,
                    notes: r.notesFile ?? null,
                  })),
                ),
                tags: released.map((r) => r.gitTag).join(' '),
              });
            }
            if (github.stepSummaryPath !== null)
              await appendStepSummary(github.stepSummaryPath, `### falco-gitops release\n\n\`\`\`\n${secrets.redact(renderRelease(result))}\`\`\`\n`);
          } catch (err) {
            return done(inputError(`cannot write a result file: ${err instanceof Error ? err.message : String(err)}`));
          }
        }
        done(result.ok ? CLEAN : FINDINGS);
      });
  },
};

function signatureFrom(flags: ReleaseFlags, fallback: CosignIdentity | null): CosignIdentity | null | 'partial' {
  if (flags.signatureIssuer === undefined && flags.signatureIdentity === undefined) return fallback;
  if (flags.signatureIssuer === undefined || flags.signatureIdentity === undefined) return 'partial';
  return { certificateOidcIssuer: flags.signatureIssuer, certificateIdentityRegexp: flags.signatureIdentity };
}

/** Runs the signing command through the shell with {ref} replaced (single-quoted) and ARTIFACT_REF set. */
function runSignCommand(command: string, ref: string, io: CliIO): Promise<SignResult> {
  const quoted = shellQuote(ref);
  return new Promise((resolveSign) => {
    execFile('/bin/sh', ['-c', command.replaceAll('{ref}', quoted)], { cwd: io.cwd, env: { ...io.env, ARTIFACT_REF: ref } }, (err, _stdout, stderr) => {
      if (err) resolveSign({ ok: false, message: `${err.message.split('\n')[0]}${stderr ? `: ${stderr.trim().split('\n').slice(-1)[0]}` : ''}` });
      else resolveSign({ ok: true });
    });
  });
}

export function renderRelease(result: ReleaseResult): string {
  const lines = result.releases.map((r) => {
    if (r.decision.action === 'skip') return `${r.environment}: unchanged (${r.decision.reason})`;
    const head = `${r.environment}: ${r.decision.version} (${r.decision.reason})`;
    const registries = (r.registries ?? []).map((g) => `\n  ${g.repository}: ${g.error !== undefined ? `FAILED: ${g.error}` : renderTags(g.tags)}`).join('');
    if (r.error !== undefined) return `${head}: FAILED: ${r.error}${registries}`;
    if (r.alreadyPublished)
      return `${r.environment}: ${r.decision.version} already published as ${r.reference} (same content, shipped by publish): ${r.gitTag === undefined ? 'would only tag it' : `tagged ${r.gitTag}, nothing pushed`}`;
    if (r.gitTag === undefined) return `${head}: would publish${r.registryNote !== undefined ? `; registry ${r.registryNote}` : ''}`;
    return `${head}: published ${r.reference}, tagged ${r.gitTag}${registries}`;
  });
  if (lines.length === 0) lines.push('no environments');
  if (result.indexUpdated) lines.push('index file updated');
  return `${lines.join('\n')}\n`;
}

function renderTags(tags: PublishedTag[]): string {
  return tags.map((t) => `${t.tag}${t.action === 'pending' ? ' (pending)' : t.action === 'held' ? ` (held by ${t.by})` : ''}`).join(', ') || 'no tags';
}

function absolute(cwd: string, path: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}

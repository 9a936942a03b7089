import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from '../diagnostics/index.js';
import { LayoutStore, pullArtifact, readLayoutIndex, type Store } from '../oci/index.js';
import { renderJsonDocument } from '../report/index.js';
import { defaultTarget } from '../targets/target.js';
import { isRulesFileName, verifyArtifact } from '../targets/verify.js';
import { parseFormat, type CliCommand } from './command.js';
import { CLEAN, FINDINGS, inputError, usageError, type Outcome } from './exit.js';
import type { CliIO } from './io.js';
import { openPullStore } from './pull.js';
import { addCredentialOptions, type CredentialFlags } from './registry-credentials.js';
import { addTargetOptions, targetFromFlags, type TargetFlags } from './target-options.js';
import { checkWithFalcoBinary, type FalcoBinaryCheck } from './falco-binary.js';

interface VerifyFlags extends CredentialFlags, TargetFlags {
  env?: string;
  plainHttp?: boolean;
  falcoBinary?: string;
  format: string;
}

export const verifyCommand: CliCommand = {
  name: 'verify',
  register(program: Command, io: CliIO, done) {
    const command = program
      .command('verify')
      .description('Preflight a built or published rules artifact: does it install (requirements, dependencies) and load on a Falco target?')
      .argument('<ref|dir>', 'registry/repository:tag, registry/repository@sha256:…, or an OCI layout directory (build output: out/oci)')
      .option('--env <name>', 'in a layout holding several artifacts, the environment to verify')
      .option('--plain-http', 'use plain HTTP for a non-loopback registry')
      .option('--falco-binary <command>', 'also run `<command> --validate` on each rules file of the artifact and report any disagreement');
    addTargetOptions(command, 'default: the newest release with its default plugins');
    addCredentialOptions(command)
      .option('--format <format>', 'text or json', 'text')
      .addHelpText(
        'after',
        `
Checks the artifact config's engine requirement and plugin dependencies the way falcoctl does,
then compiles its rules file for the target.

Examples:
  falco-gitops verify ghcr.io/acme/falco-rules-production:1 --falco-version 0.42.0
  falco-gitops verify out/oci --env staging --plugin container@0.3.0
  falco-gitops verify out/oci --env staging --falco-version 0.42.0 --falco-binary 'docker run --rm -v /tmp:/tmp falcosecurity/falco:0.42.0 falco'

Exit codes: 0 installs and loads (and a real Falco agrees) · 1 it would not, or Falco disagrees · 2 usage error or unreadable artifact`,
      )
      .action(async (ref: string, flags: VerifyFlags) => done(await runVerify(ref, flags, io)));
  },
};

async function runVerify(text: string, flags: VerifyFlags, io: CliIO): Promise<Outcome> {
  const format = parseFormat(flags.format, ['text', 'json'] as const);
  const target = targetFromFlags(flags) ?? defaultTarget();
  const source = await openSource(text, flags, io);
  if ('kind' in source) return source;
  const pulled = await pullArtifact(source.store, source.ref);
  if (pulled.error) return inputError(`${text}: ${pulled.error.message}`);
  const result = verifyArtifact(pulled.config, pulled.files, target);
  const falcoBinary = flags.falcoBinary ? falcoBinaryChecks(flags.falcoBinary, io.cwd, pulled.files, result.diagnostics) : undefined;
  const agreed = falcoBinary?.every((c) => c.agree) ?? true;
  if (format === 'json') {
    const report = { reference: text, digest: pulled.digest, ...result, diagnostics: sortDiagnostics(result.diagnostics) };
    io.stdout(renderJsonDocument(falcoBinary ? { ...report, falcoBinary } : report));
  } else {
    const lines = sortDiagnostics(result.diagnostics)
      .filter((d) => d.severity === 'error')
      .map(formatDiagnostic);
    lines.push(...result.problems.map((p) => `problem: ${p}`));
    for (const c of falcoBinary ?? []) {
      const verdict = `falco-gitops ${c.ours ? 'loads' : 'refuses'} it, falco --validate ${c.falco ? 'loads' : 'refuses'} it`;
      lines.push(`${c.file}: ${c.agree ? 'agree' : 'DISAGREE'}: ${verdict}${c.agree ? '' : `: ${c.output.split('\n').at(-1) ?? ''}`}`);
    }
    lines.push(result.ok ? `${text} installs and loads on ${result.target}` : `${text} does not install or load on ${result.target}`);
    io.stdout(`${lines.join('\n')}\n`);
  }
  return result.ok && agreed ? CLEAN : FINDINGS;
}

/** Real Falco's verdict on each rules file of the artifact, against ours: no error located in that file. */
function falcoBinaryChecks(
  command: string,
  cwd: string,
  files: readonly { name: string; bytes: Uint8Array }[],
  diagnostics: readonly Diagnostic[],
): ({ file: string } & FalcoBinaryCheck)[] {
  return files
    .filter((f) => isRulesFileName(f.name))
    .map((f) => {
      const ours = !diagnostics.some((d) => d.severity === 'error' && d.location.file === f.name);
      return { file: f.name, ...checkWithFalcoBinary(command, cwd, f.name, new TextDecoder().decode(f.bytes), ours) };
    });
}

async function openSource(text: string, flags: VerifyFlags, io: CliIO): Promise<{ store: Store; ref: string } | Outcome> {
  const dir = resolve(io.cwd, text);
  if (existsSync(dir) && statSync(dir).isDirectory()) {
    const entries = await readLayoutIndex(dir).catch((err: Error) => err);
    if (entries instanceof Error) return inputError(entries.message);
    const chosen = flags.env ? entries.filter((e) => e.environment === flags.env) : entries;
    if (chosen.length !== 1) {
      const known = entries.map((e) => e.environment ?? e.descriptor.digest).join(', ');
      return usageError(
        flags.env
          ? `no artifact for environment '${flags.env}' in ${text} (holds: ${known})`
          : `${text} holds ${entries.length} artifacts (${known}): choose one with --env`,
      );
    }
    return { store: new LayoutStore(dir), ref: chosen[0].descriptor.digest };
  }
  const opened = await openPullStore(text, flags, io);
  return opened.ok ? { store: opened.store, ref: opened.ref } : opened.outcome;
}

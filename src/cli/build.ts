import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import {
  artifactInputFor,
  BUILD_MANIFEST_FILE,
  buildEnvironment,
  loadRepository,
  readUpstreamVersions,
  type ArtifactProvenance,
  type BuiltEnvironment,
} from '../environment/index.js';
import { readGitHubContext } from '../automation/index.js';
import { fsRepositoryReader } from '../config/index.js';
import { createRenderCache } from '../rules/index.js';
import { formatDiagnostic, sortDiagnostics } from '../diagnostics/index.js';
import { commitTime, openRepository, resolveRevision } from '../git/index.js';
import { packArtifact, writeOciLayout } from '../oci/index.js';
import { writeFileAtomic } from '../files/write-file-atomic.js';
import { parseFormat, type CliCommand } from './command.js';
import { CLEAN, FINDINGS, inputError } from './exit.js';
import { validationReport } from './validate.js';
import { cacheOption, envOption, formatOption } from './options.js';
import { parserFor } from '../files/parse-cache.js';
import { progress, progressDone } from './terminal.js';
import { renderJsonDocument } from '../report/index.js';

const FORMATS = ['text', 'json'] as const;
const OCI_LAYOUT_DIR = 'oci';

export const buildCommand: CliCommand = {
  name: 'build',
  register(program: Command, io, done) {
    program
      .command('build')
      .description('Render each environment as one self-contained Falco rules file, with a build manifest (inputs and output sha256, upstream versions)')
      .addOption(envOption('build only this environment'))
      .option(
        '--out <dir>',
        'output directory: <dir>/<environment>/<rules file> and build-manifest.json, and an OCI layout of every artifact in <dir>/oci',
        'out',
      )
      .option('--source-url <url>', 'the repository URL for the artifact annotation (default under GitHub Actions: this repository)')
      .addOption(formatOption(FORMATS, 'text or json (json is a stable, versioned interface)'))
      .addOption(cacheOption())
      .addHelpText(
        'after',
        `
Output is deterministic: the same inputs give byte-identical files on any machine. Nothing is
written when an environment does not load.

Examples:
  falco-gitops build                                   # every environment into ./out
  falco-gitops build --env production --out dist/rules
  falco -r out/production/falco-rules-production.yaml  # what Falco loads

Exit codes: 0 built · 1 Falco would refuse an environment (nothing written) · 2 configuration or usage error`,
      )
      .action(async (opts: { env: string[]; out: string; format: string; cache: boolean; sourceUrl?: string }) => {
        const format = parseFormat(opts.format, FORMATS);
        const reader = fsRepositoryReader(io.cwd);
        const load = loadRepository(reader, opts.env, { parse: parserFor(opts.cache, io.env) });
        const upstream = readUpstreamVersions(reader);
        const inputProblems = [...(load.ok ? [] : load.diagnostics), ...(upstream.ok ? [] : upstream.diagnostics)];
        if (!load.ok || !upstream.ok) {
          for (const d of sortDiagnostics(inputProblems)) io.stderr(`${formatDiagnostic(d)}\n`);
          done(inputError(load.ok ? 'the upstream lock file is invalid' : load.message));
          return;
        }
        const report = validationReport(load.environments);
        if (!report.summary.passed) {
          for (const d of report.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
          io.stderr('build: not built: an environment does not load (see above)\n');
          done(FINDINGS);
          return;
        }
        const built: BuiltEnvironment[] = [];
        const renderCache = createRenderCache();
        for (const [i, env] of load.environments.entries()) {
          progress(io, `build: ${env.environment.name} (${i + 1}/${load.environments.length})`);
          if (env.ruleset) built.push(buildEnvironment({ ...env, ruleset: env.ruleset }, upstream.upstream, { renderCache }));
        }
        progressDone(io);
        const outDir = resolve(io.cwd, opts.out);
        for (const b of built) {
          await writeFileAtomic(join(outDir, b.environment, b.rulesFileName), b.rulesFile);
          await writeFileAtomic(join(outDir, b.environment, BUILD_MANIFEST_FILE), b.manifestJson);
        }
        const github = readGitHubContext(io.env);
        const source = opts.sourceUrl ?? (github.repository !== null ? `${github.serverUrl}/${github.repository}` : null);
        const provenance = await sourceProvenance(io.cwd, source);
        const artifacts = built.map((b) =>
          packArtifact(
            artifactInputFor(
              b,
              { repository: b.manifest.artifact.repository, mirrors: (b.manifest.artifact.repositories ?? []).slice(1), version: b.manifest.version },
              provenance,
            ),
          ),
        );
        await writeOciLayout(join(outDir, OCI_LAYOUT_DIR), artifacts);
        if (format === 'json') {
          io.stdout(renderJsonDocument({ out: opts.out, environments: built.map((b) => b.manifest) }));
        } else {
          for (const b of built) {
            io.stdout(
              `${b.environment}: ${join(opts.out, b.environment, b.rulesFileName)}  sha256:${b.manifest.output.sha256}  (${b.manifest.inputs.length} inputs)\n`,
            );
          }
        }
        done(CLEAN);
      });
  },
};

/** Revision and time of HEAD's commit, so artifacts are reproducible; none outside git. */
async function sourceProvenance(dir: string, source: string | null): Promise<ArtifactProvenance> {
  const repo = openRepository(dir);
  const head = await resolveRevision(repo, 'HEAD');
  if (!head.ok) return { revision: null, committedAt: null, source };
  const time = await commitTime(repo, head.value);
  return { revision: head.value, committedAt: time.ok ? time.value : null, source };
}

import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHECKS, runLint } from '../analysis/lint/index.js';
import { loadRepository, readUpstreamVersions } from '../environment/index.js';
import { fsRepositoryReader } from '../config/index.js';
import { formatDiagnostic, sortDiagnostics } from '../diagnostics/index.js';
import { OciError, readLayoutIndex } from '../oci/index.js';
import type { ShadowFinding } from '../analysis/shadow/index.js';
import { buildSiteModel, renderSite, repositoryLayer, type SiteArtifact } from '../site/index.js';
import { writeFileAtomic } from '../files/write-file-atomic.js';
import { lintEnvironments, shadowedDefaults } from './ci.js';
import { openRepository, readRevision } from '../git/index.js';
import { parseFormat, type CliCommand } from './command.js';
import { CLEAN, CliError, FINDINGS, inputError } from './exit.js';
import { runRepositoryTests } from '../environment/index.js';
import { TOOL } from './tool-info.js';
import { validationReport } from './validate.js';
import { renderJsonDocument } from '../report/index.js';
import { envOption } from './options.js';

const FORMATS = ['text', 'json'] as const;

export const siteCommand: CliCommand = {
  name: 'site',
  register(program: Command, io, done) {
    program
      .command('site')
      .description(
        'Generate the rules explorer: a static site (open index.html, no server) of every environment: effective rules with the provenance of every field, compiled conditions, macros and lists, rule tests, lint findings, shadowed defaults and differences between environments',
      )
      .option('--out <dir>', 'where to write index.html, site.css, site.js and data.js', 'out/site')
      .addOption(envOption('only this environment'))
      .option('--base <ref>', 'the revision to compare the pinned upstream with (e.g. the last release tag): shows the defaults the upstream move shadowed')
      .option('--build-dir <dir>', "a `build --out` directory: its OCI layout gives each environment's artifact reference and digest", 'out')
      .option('--format <format>', 'text or json (json is a stable, versioned interface)', 'text')
      .addHelpText(
        'after',
        `
The site works from file:// and offline: no server, no external fonts or scripts. Upstream items
are those under rules/upstream/, overlays those under environments/, the rest the organisation's.

Examples:
  falco-gitops build && falco-gitops site          # then open out/site/index.html
  falco-gitops site --env production --out public
  falco-gitops site --base production/v1.7.0         # shadowed defaults of the upstream move since

Exit codes: 0 written · 1 Falco would refuse an environment (nothing written) · 2 configuration, test file or usage error`,
      )
      .action(async (opts: { out: string; env: string[]; base?: string; buildDir: string; format: string }) => {
        const format = parseFormat(opts.format, FORMATS);
        const reader = fsRepositoryReader(io.cwd);
        const load = loadRepository(reader, opts.env);
        const upstream = readUpstreamVersions(reader);
        if (!load.ok || !upstream.ok) {
          for (const d of sortDiagnostics([...(load.ok ? [] : load.diagnostics), ...(upstream.ok ? [] : upstream.diagnostics)]))
            io.stderr(`${formatDiagnostic(d)}\n`);
          done(inputError(load.ok ? 'the upstream lock file is invalid' : load.message));
          return;
        }
        const validation = validationReport(load.environments);
        if (!validation.summary.passed) {
          for (const d of validation.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
          io.stderr('site: not written: an environment does not load (see above)\n');
          done(FINDINGS);
          return;
        }
        const tests = runRepositoryTests(reader, load);
        if (!tests.ok) {
          for (const d of sortDiagnostics(tests.diagnostics)) io.stderr(`${formatDiagnostic(d)}\n`);
          done(inputError(`${tests.diagnostics.length} problem(s) in test files`));
          return;
        }
        let shadowFindings: ShadowFinding[] = [];
        if (opts.base !== undefined) {
          const revision = await readRevision(openRepository(io.cwd), opts.base);
          if (!revision.ok) throw new CliError(`--base: ${revision.message}`);
          shadowFindings = shadowedDefaults(revision.value, load);
        }
        const artifacts = await builtArtifacts(resolve(io.cwd, opts.buildDir));
        const model = buildSiteModel({
          generator: `${TOOL.name} ${TOOL.version}`,
          environments: load.environments.map((e) => {
            const artifact = artifacts.get(e.environment.name);
            return { name: e.environment.name, ruleset: e.ruleset!, ...(artifact ? { artifact } : {}) };
          }),
          upstream: upstream.upstream,
          lintFindings: runLint(lintEnvironments(load), CHECKS, { isUpstream: (file) => repositoryLayer(file) === 'upstream' }).findings,
          shadowFindings,
          testResults: tests.results,
          layerOf: repositoryLayer,
        });
        const outDir = resolve(io.cwd, opts.out);
        const assets = siteAssetsDir();
        const files = renderSite(model, (name) => readFileSync(join(assets, name), 'utf8'));
        try {
          for (const [name, content] of files) await writeFileAtomic(join(outDir, name), content);
        } catch (err) {
          done(inputError(`cannot write the site to '${opts.out}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`));
          return;
        }
        const index = join(relative(io.cwd, outDir) || '.', 'index.html');
        if (format === 'json') {
          const environments = model.environments.map((e) => ({
            name: e.name,
            rules: e.rules.length,
            enabled: e.rules.filter((r) => r.enabled).length,
            findings: e.findings.length,
            tests: e.tests,
            artifact: e.artifact,
          }));
          io.stdout(renderJsonDocument({ out: opts.out, index, files: [...files.keys()], environments }));
        } else {
          for (const e of model.environments)
            io.stdout(`${e.name}: ${e.rules.length} rules, ${e.macros.length} macros, ${e.lists.length} lists, ${e.findings.length} findings\n`);
          io.stdout(`open ${index}\n`);
        }
        done(CLEAN);
      });
  },
};

/** Environment -> the artifact `build` packed for it, from the build directory's OCI layout; none when it was not built. */
async function builtArtifacts(buildDir: string): Promise<Map<string, SiteArtifact>> {
  const out = new Map<string, SiteArtifact>();
  let entries;
  try {
    entries = await readLayoutIndex(join(buildDir, 'oci'));
  } catch (err) {
    if (err instanceof OciError) return out;
    throw err;
  }
  for (const e of entries) {
    if (e.environment === null || e.repository === null || e.version === null) continue;
    out.set(e.environment, { reference: `${e.repository}:${e.version}`, digest: e.descriptor.digest });
  }
  return out;
}

/** src/site/assets (the page, style and script), found above this module in the source tree or the installed package. */
function siteAssetsDir(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, 'src', 'site', 'assets');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    if (dirname(dir) === dir) throw new Error('src/site/assets not found above the falco-gitops modules');
  }
}

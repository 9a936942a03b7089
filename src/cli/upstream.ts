import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { buildShadowReport, findShadowedDefaults, renderFieldViews, type ShadowFinding } from '../analysis/shadow/index.js';
import { fileSizeRefusal, formatDiagnostic, formatLoc, type Diagnostic } from '../diagnostics/index.js';
import { fsRepositoryReader, loadRepositoryConfig, resolveLayers } from '../config/index.js';
import { renderReport, REPORT_FORMATS } from '../report/index.js';
import { cachingReader, loadRules, type RulesFile, type SourceFile } from '../rules/index.js';
import {
  EMPTY_LOCK,
  fetchUpstream,
  isGitReference,
  isRegistryReference,
  LOCK_FILE_PATH,
  verifyUpstream,
  planUpdate,
  writePull,
  writeUpdate,
  type Conflict,
  type Rewrite,
  type UpstreamLock,
  type UpstreamSource,
} from '../upstream/index.js';
import { parseFormat, type CliCommand } from './command.js';
import { CLEAN, CliError, FINDINGS, inputError } from './exit.js';
import type { CliIO } from './io.js';
import { readRulesInputs } from './rules-input.js';
import { environmentStacks, readLock, resolveNewUpstream } from './upstream-inputs.js';
import { fetchOciRuleset } from './upstream-oci.js';
import { fetchGitSource, fetchGitVersion } from './upstream-git.js';
import { registerUpstreamLatest } from './upstream-latest.js';
import { registerUpstreamRemove } from './upstream-remove.js';
import { TOOL } from './tool-info.js';
import { envOption, formatOption } from './options.js';

const CHECK_FORMATS = REPORT_FORMATS;

interface CheckOptions {
  base?: string;
  to?: string;
  env: string[];
  plainHttp?: boolean;
  format: string;
}
interface PullOptions {
  version: string;
  from: string;
  sha256?: string;
  plainHttp?: boolean;
  format: string;
}
interface UpdateOptions {
  to: string;
  from?: string;
  rebase?: boolean;
  plainHttp?: boolean;
  format: string;
}

export const upstreamCommand: CliCommand = {
  name: 'upstream',
  register(program: Command, io, done) {
    const upstream = program.command('upstream').description('Pin upstream Falco rulesets, and find the overrides of ours a new upstream version shadows');
    upstream
      .command('check')
      .description(
        'Every item of ours that replaces an upstream item, compared between the locked upstream (base) and a new one: changed underneath, orphaned, inherited, hook available',
      )
      .argument('[ours...]', 'with --base: our rules files, in load order')
      .option('--base <files>', 'bare mode: the old upstream files, comma-separated, in load order')
      .option(
        '--to <version|files|dir>',
        "the new upstream: a version (fetched from each pinned artifact's registry, or git tag), files (bare mode, comma-separated), a file/directory holding <ruleset>.yaml, or <ruleset>=<file>",
      )
      .addOption(envOption('only this environment'))
      .option('--plain-http', 'talk to the registry over http (local test registries)')
      .addOption(formatOption(CHECK_FORMATS, 'text, json (stable, versioned), markdown or sarif'))
      .addHelpText(
        'after',
        `
Examples:
  falco-gitops upstream check --to ../rules/rules          # every environment against a falcosecurity/rules checkout
  falco-gitops upstream check --to new/falco_rules.yaml --env production --format json
  falco-gitops upstream check --to falco_rules=../downloads/falco_rules-5.1.0.yaml
  falco-gitops upstream check --base falco_rules-3.2.0.yaml --to falco_rules-4.0.0.yaml overlay.yaml

Exit codes: 0 nothing shadowed · 1 shadowed defaults (errors or warnings) · 2 usage or input error`,
      )
      .action(async (ours: string[], opts: CheckOptions) => {
        const format = parseFormat(opts.format, CHECK_FORMATS);
        const { findings, diagnostics } = opts.base !== undefined ? await checkBare(opts.base, opts.to, ours, io) : await checkRepository(opts, ours, io);
        const report = buildShadowReport(findings, TOOL, diagnostics);
        io.stdout(format === 'text' ? renderShadowText(findings, diagnostics) : renderReport(report, format));
        done(report.summary.passed ? CLEAN : FINDINGS);
      });
    upstream
      .command('pull')
      .description(`Fetch an upstream ruleset, verify it, and vendor it as rules/upstream/<ruleset>.yaml with its entry in ${LOCK_FILE_PATH}`)
      .argument('<ruleset>', 'the ruleset name, e.g. falco_rules')
      .requiredOption('--version <v>', 'the version being pinned, e.g. 4.0.0')
      .requiredOption(
        '--from <ref|git|path>',
        'an OCI reference (the falcoctl rulesfile artifact); git+URL@TAG[#path/in/repo] (a file, or a directory holding <ruleset>.yaml; default <ruleset>.yaml, then rules/<ruleset>.yaml); a local rules file, or a directory holding <ruleset>.yaml',
      )
      .option('--sha256 <hex>', 'refuse the file unless its sha256 is this')
      .option('--plain-http', 'talk to the registry over http (local test registries)')
      .addOption(formatOption(['text', 'json'], 'text or json'))
      .addHelpText(
        'after',
        `
Examples:
  falco-gitops upstream pull falco_rules --version 4.0.0 --from ghcr.io/falcosecurity/rules/falco-rules:4.0.0
  falco-gitops upstream pull falco_rules --version 4.0.0 --from git+https://github.com/falcosecurity/rules@falco-rules-4.0.0#rules
  falco-gitops upstream pull falco_rules --version 4.0.0 --from ../rules/rules
  falco-gitops upstream pull falco_rules --version 4.0.0 --from falco_rules.yaml --sha256 0f3c…

A git source is cloned shallowly (the tag only, no checkout) into a temporary directory that is removed
afterwards; the lock records the URL, tag, path and commit.

Exit codes: 0 pinned · 2 unreadable, invalid or unverified input`,
      )
      .action(async (ruleset: string, opts: PullOptions) => {
        const format = parseFormat(opts.format, ['text', 'json'] as const);
        const lock = currentLock(io);
        const expect = opts.sha256 ? { expectSha256: opts.sha256 } : {};
        const pulled = isGitReference(opts.from)
          ? verifyUpstream({ ruleset, version: opts.version, ...(await fetchGitSource(opts.from, ruleset)), ...expect }, lock)
          : isRegistryReference(opts.from)
            ? verifyUpstream({ ruleset, version: opts.version, ...(await fetchOciRuleset(opts.from, ruleset, io, Boolean(opts.plainHttp))), ...expect }, lock)
            : await fetchUpstream({ ruleset, version: opts.version, from: opts.from, ...expect }, lock, io.cwd);
        if (!pulled.ok) {
          done(inputError([pulled.message, ...pulled.diagnostics.map(formatDiagnostic)].join('\n')));
          return;
        }
        await writePull(io.cwd, pulled, LOCK_FILE_PATH);
        const loadedBy = environmentsLoading(io.cwd, pulled.entry.file);
        if (format === 'json') {
          io.stdout(`${JSON.stringify({ schemaVersion: 1, pinned: pulled.entry, ...(loadedBy ? { loadedBy } : {}) }, null, 2)}\n`);
        } else {
          io.stdout(`pinned ${ruleset} ${opts.version} (sha256 ${pulled.entry.sha256}) in ${pulled.entry.file}\n`);
          if (loadedBy?.length === 0) io.stdout(`no environment loads it yet: add ${pulled.entry.file} to an environment's layers\n`);
          else if (loadedBy) io.stdout(`loaded by: ${loadedBy.join(', ')}\n`);
        }
        done(CLEAN);
      });
    upstream
      .command('update')
      .description(
        'Move the pin to a new upstream version; with --rebase, rewrite our overlays where a three-way merge is safe and list every rewrite and conflict',
      )
      .requiredOption('--to <v>', 'the new version')
      .option(
        '--from <path>',
        'a directory holding <ruleset>.yaml for each locked ruleset, a file for a single one, or <ruleset>=<file>; default: each pinned artifact at tag <v>, or for a ruleset pinned from git, its tag with the version swapped (falco-rules-4.0.0 → falco-rules-<v>)',
      )
      .option('--plain-http', 'talk to the registry over http (local test registries)')
      .option('--rebase', 'rewrite overlays: lists merged three-way, macros and rules that only add a clause become appends')
      .addOption(formatOption(['text', 'json'], 'text or json'))
      .addHelpText(
        'after',
        `
Examples:
  falco-gitops upstream update --to 5.1.0 --rebase                     # from the pinned artifacts' registry
  falco-gitops upstream update --to 5.1.0 --from ../rules/rules --rebase

Exit codes: 0 updated, nothing left to do by hand · 1 updated, conflicts or shadowed defaults left for a human · 2 usage or input error`,
      )
      .action(async (opts: UpdateOptions) => {
        const format = parseFormat(opts.format, ['text', 'json'] as const);
        const result = await updateUpstream(opts, io);
        io.stdout(format === 'json' ? `${JSON.stringify({ schemaVersion: 1, ...result }, null, 2)}\n` : renderUpdateText(result));
        done(result.conflicts.length > 0 || result.findings.some((f) => f.severity !== 'note') ? FINDINGS : CLEAN);
      });
    registerUpstreamRemove(upstream, io, done);
    registerUpstreamLatest(upstream, io, done);
  },
};

function currentLock(io: CliIO): UpstreamLock {
  const reader = fsRepositoryReader(io.cwd);
  return reader.readText(LOCK_FILE_PATH) === undefined ? EMPTY_LOCK : readLock(reader);
}

interface CheckResult {
  findings: ShadowFinding[];
  /** Errors Falco would report loading the new upstream with our files. */
  diagnostics: Diagnostic[];
}

/** Loads the new upstream with our files as Falco would; its errors say whether the upgrade would be refused. */
function loadErrors(theirs: SourceFile[], ours: SourceFile[], read: (s: SourceFile) => RulesFile): Diagnostic[] {
  return loadRules([...theirs, ...ours], { read }).diagnostics.filter((d) => d.severity === 'error');
}

async function checkBare(base: string, to: string | undefined, ours: string[], io: CliIO): Promise<CheckResult> {
  if (to === undefined) throw new CliError('--base needs --to (the new upstream files)', 'usage-error');
  if (ours.length === 0) throw new CliError('--base needs our rules files as arguments', 'usage-error');
  const split = (s: string) => s.split(',').filter((p) => p !== '');
  const read = cachingReader();
  const theirs = await readRulesInputs(split(to), io.cwd);
  const mine = await readRulesInputs(ours, io.cwd);
  const findings = findShadowedDefaults({ base: (await readRulesInputs(split(base), io.cwd)).map(read), theirs: theirs.map(read), ours: mine.map(read) });
  return { findings, diagnostics: loadErrors(theirs, mine, read) };
}

async function checkRepository(opts: CheckOptions, ours: string[], io: CliIO): Promise<CheckResult> {
  if (ours.length > 0) throw new CliError('our files are given as arguments only with --base (bare mode)', 'usage-error');
  if (opts.to === undefined) throw new CliError('--to is required: the new upstream file or directory', 'usage-error');
  const lock = readLock(fsRepositoryReader(io.cwd));
  const texts = new Map([...(await readNewUpstream(lock, opts.to, io, Boolean(opts.plainHttp)))].map(([name, r]) => [name, r.text]));
  const read = cachingReader();
  const result: CheckResult = { findings: [], diagnostics: [] };
  for (const s of environmentStacks(io.cwd, lock, texts, opts.env)) {
    result.findings.push(...findShadowedDefaults({ base: s.base.map(read), theirs: s.theirs.map(read), ours: s.ours.map(read), environment: s.environment }));
    result.diagnostics.push(...loadErrors(s.theirs, s.ours, read));
  }
  return result;
}

/** The new upstream rulesets: from a path, or (a bare version) from each locked artifact's repository at that tag, or its git tag for that version. */
async function readNewUpstream(
  lock: UpstreamLock,
  to: string,
  io: CliIO,
  plainHttp: boolean,
  flag = '--to',
): Promise<Map<string, { text: string; source: UpstreamSource }>> {
  const found = new Map<string, { text: string; source: UpstreamSource }>();
  if (!existsSync(resolve(io.cwd, to)) && /^v?\d+\.\d+\.\d+/.test(to)) {
    for (const r of lock.rulesets) {
      if (r.source.kind === 'git') found.set(r.name, await fetchGitVersion(r, to));
      else if (r.source.kind === 'oci') found.set(r.name, await fetchOciRuleset(withTag(r.source.reference, to), r.name, io, plainHttp));
      else throw new CliError(`${to}: ruleset ${r.name} was pinned from a path, not a registry or git; pass a file or directory`, 'usage-error');
    }
    return found;
  }
  for (const [name, { path, given }] of resolveNewUpstream(lock, to, io.cwd, flag)) {
    const refused = fileSizeRefusal(path, (await stat(path)).size);
    if (refused !== undefined) throw new CliError(refused);
    found.set(name, { text: await readFile(path, 'utf8'), source: { kind: 'path', path: given } });
  }
  return found;
}

/** `ghcr.io/falcosecurity/rules/falco-rules:4.0.0` with another tag. */
function withTag(reference: string, tag: string): string {
  const noDigest = reference.split('@')[0];
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return `${colon > slash ? noDigest.slice(0, colon) : noDigest}:${tag}`;
}

interface UpdateResult {
  version: string;
  /** The locked rulesets moved to `version`; the others keep their pins. */
  rulesets: string[];
  findings: ShadowFinding[];
  rewrites: (Rewrite & { file: string })[];
  conflicts: (Conflict & { file: string })[];
}

async function updateUpstream(opts: UpdateOptions, io: CliIO): Promise<UpdateResult> {
  let lock = readLock(fsRepositoryReader(io.cwd));
  const fetched = await readNewUpstream(lock, opts.from ?? opts.to, io, Boolean(opts.plainHttp), opts.from === undefined ? '--to' : '--from');
  const pulls = [];
  for (const [name, r] of fetched) {
    const pulled = verifyUpstream({ ruleset: name, version: opts.to, text: r.text, source: r.source }, lock);
    if (!pulled.ok) throw new CliError([pulled.message, ...pulled.diagnostics.map(formatDiagnostic)].join('\n'));
    lock = pulled.lock;
    pulls.push(pulled);
  }
  const texts = new Map(pulls.map((p) => [p.entry.name, p.text]));
  const plan = planUpdate(environmentStacks(io.cwd, readLock(fsRepositoryReader(io.cwd)), texts), { rebase: Boolean(opts.rebase) });
  await writeUpdate(io.cwd, pulls, plan.edits, lock);
  return { version: opts.to, rulesets: pulls.map((p) => p.entry.name), findings: plan.findings, rewrites: plan.rewrites, conflicts: plan.conflicts };
}

export function renderShadowText(findings: ShadowFinding[], diagnostics: Diagnostic[] = []): string {
  const out: string[] = diagnostics.map((d) => `${formatDiagnostic(d)} [Falco would refuse the new upstream with our files]`);
  if (findings.length === 0) return [...out, 'No shadowed defaults: every override of ours still sees what upstream ships.'].join('\n') + '\n';
  for (const f of findings) {
    out.push(`${formatLoc(f.ours)}: ${f.severity} ${f.kind}: ${f.message}${f.environment ? ` [${f.environment}]` : ''}`);
    if (f.base) out.push(`    base:   ${formatLoc(f.base)}`);
    if (f.theirs) out.push(`    theirs: ${formatLoc(f.theirs)}`);
    out.push(...renderFieldViews(f), `    fix: ${f.fix}`);
  }
  const n = (k: string) => findings.filter((f) => f.kind === k).length;
  out.push(
    '',
    `${findings.length} finding(s): ${n('changed-underneath')} changed underneath, ${n('orphaned')} orphaned, ${n('inherited')} inherited, ${n('hook-available')} hook available`,
  );
  return out.join('\n') + '\n';
}

function renderUpdateText(r: UpdateResult): string {
  const out = [`${r.rulesets.join(', ')} pinned at ${r.version}`];
  for (const w of r.rewrites) out.push(`  rewrote ${w.file}: ${describeRewrite(w)}`);
  for (const c of r.conflicts) out.push(`  left for a human ${c.file}:${c.line}: ${c.itemType} '${c.name}': ${c.reason}`);
  out.push('', renderShadowText(r.findings).trimEnd());
  return out.join('\n') + '\n';
}

function describeRewrite(w: Rewrite): string {
  switch (w.kind) {
    case 'list-merged':
      return `list '${w.name}' merged (upstream added: ${w.added.join(', ') || 'none'}; removed: ${w.removed.join(', ') || 'none'})`;
    case 'macro-to-append':
      return `macro '${w.name}' is now an append of '${w.clause}'`;
    case 'macro-updated':
      return `macro '${w.name}' was a copy of upstream's: updated to the new condition`;
    case 'rule-to-append':
      return `rule '${w.name}' is now an append of '${w.clause}'`;
    case 'rule-to-exception':
      return `rule '${w.name}' now appends to its exceptions ${w.exceptions.map((e) => `'${e.name}' (${e.values.map((v) => JSON.stringify(v)).join(', ')})`).join(', ')}${w.clause === null ? '' : ` and to its condition '${w.clause}'`}`;
  }
}

/** The environments whose layers name `file` (after globs), or undefined when the repository's configuration does not load. */
function environmentsLoading(cwd: string, file: string): string[] | undefined {
  const reader = fsRepositoryReader(cwd);
  const { config } = loadRepositoryConfig(reader);
  return config?.environments.filter((env) => resolveLayers(env, reader).files.includes(file)).map((env) => env.name);
}

import type { Command } from 'commander';
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from '../diagnostics/index.js';
import { loadRulesPerFile, type CompiledRuleset } from '../rules/index.js';
import { parseFormat, type CliCommand } from './command.js';
import { CLEAN, FINDINGS } from './exit.js';
import { readRulesInputs } from './rules-input.js';
import { addTargetOptions, targetFromFlags, type TargetFlags } from './target-options.js';
import { defaultTarget, targetLabel } from '../targets/target.js';
import { semanticsOf } from '../targets/semantics.js';
import { cacheOption, formatOption } from './options.js';
import { parserFor } from '../files/parse-cache.js';

const FORMATS = ['text', 'json'] as const;

export const compileCommand: CliCommand = {
  name: 'compile',
  register(program: Command, io, done) {
    addTargetOptions(program.command('compile'), 'default: the newest release with its default plugins')
      .description('Load rules files in order, as `falco -r a.yaml -r b.yaml` does (compiling after each file), and print the effective ruleset')
      .argument('<files...>', 'rules files, in load order')
      .addOption(formatOption(FORMATS, 'text or json (json is a stable, versioned interface)'))
      .addOption(cacheOption())
      .addHelpText(
        'after',
        `
Examples:
  falco-gitops compile rules/upstream/falco_rules.yaml rules/org.yaml
  falco-gitops compile --format json falco_rules.yaml | jq '.rules[] | {name, eventTypes}'
  falco-gitops compile --falco-version 0.42.0 --plugin container@0.3.0 rules.yaml

Like Falco, the rules are compiled after each file, so a problem of an intermediate state (a macro
unused until a later file) is reported with the file that raised it. Environments (validate, build)
compile once, on the rendered file.

Parsed files are kept in $XDG_CACHE_HOME/falco-gitops/parsed (~/.cache/… by default), keyed by
their content and the falco-gitops build; entries written over 30 days ago are removed, and the
oldest past 256 MB. Delete the directory at any time.

Exit codes: 0 loads · 1 Falco would refuse it · 2 usage error or unreadable file`,
      )
      .action(async (files: string[], opts: { format: string; cache: boolean } & TargetFlags) => {
        const format = parseFormat(opts.format, FORMATS);
        const read = parserFor(opts.cache, io.env);
        const target = targetFromFlags(opts) ?? defaultTarget();
        const ruleset = loadRulesPerFile(await readRulesInputs(files, io.cwd), { target: semanticsOf(target), ...(read ? { read } : {}) });
        const label = targetLabel(target);
        io.stdout(format === 'json' ? `${JSON.stringify({ ...compileJson(ruleset), target: label }, null, 2)}\n` : compileText(ruleset, label));
        done(ruleset.ok ? CLEAN : FINDINGS);
      });
  },
};

/** The documented JSON shape of `compile --format json` (schemaVersion 1). */
export function compileJson(ruleset: CompiledRuleset) {
  const diagnostics = sortDiagnostics(ruleset.diagnostics);
  return {
    schemaVersion: 1,
    ok: ruleset.ok,
    errors: diagnostics.filter((d) => d.severity === 'error').map(diagnosticJson),
    warnings: diagnostics.filter((d) => d.severity === 'warning').map(diagnosticJson),
    rules: ruleset.rules.map((r) => ({
      name: r.name,
      source: r.source,
      enabled: r.enabled,
      priority: r.priority,
      description: r.description,
      output: r.output,
      tags: r.tags,
      condition: r.condition,
      compiledCondition: r.compiledCondition,
      eventTypes: r.eventTypes,
      // as docs/json.md has them: what Falco reads, without where it was written
      exceptions: r.exceptions.map(({ name, fields, comps, values }) => ({ name, fields, comps, values })),
      capture: r.capture,
      captureDuration: r.captureDuration,
      warnEvttypes: r.warnEvttypes,
      skipIfUnknownFilter: r.skipIfUnknownFilter,
    })),
    macros: ruleset.macros.map((m) => ({ name: m.name, condition: m.condition, used: m.used })),
    lists: ruleset.lists.map((l) => ({ name: l.name, items: l.items, used: l.used })),
    requiredEngineVersion: ruleset.requiredEngineVersion,
    requiredPluginVersions: ruleset.requiredPluginVersions,
  };
}

function diagnosticJson(d: Diagnostic) {
  return {
    code: d.code,
    itemType: d.itemType,
    itemName: d.itemName,
    message: d.message,
    location: d.location,
    ...(d.hint === undefined ? {} : { hint: d.hint }),
    ...(d.related === undefined ? {} : { related: d.related }),
  };
}

function compileText(ruleset: CompiledRuleset, target: string): string {
  const lines: string[] = [];
  for (const rule of ruleset.rules) {
    const state = rule.enabled ? '' : ' (disabled)';
    lines.push(`rule: ${rule.name}${state}`);
    lines.push(`  priority: ${rule.priority}  source: ${rule.source}`);
    lines.push(`  event types: ${rule.eventTypes ? rule.eventTypes.join(', ') : rule.source === 'syscall' ? 'all' : '(plugin source)'}`);
    lines.push(`  condition: ${rule.compiledCondition}`);
  }
  for (const d of sortDiagnostics(ruleset.diagnostics)) lines.push(formatDiagnostic(d));
  const errors = ruleset.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = ruleset.diagnostics.length - errors;
  lines.push(
    `${ruleset.ok ? 'ok' : 'invalid'} for ${target}: ${ruleset.rules.length} rules, ${ruleset.macros.length} macros, ${ruleset.lists.length} lists; ${errors} errors, ${warnings} warnings`,
  );
  return `${lines.join('\n')}\n`;
}

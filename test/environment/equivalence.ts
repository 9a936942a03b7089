import { expect } from 'vitest';
import { loadRules, renderRulesFile, type CompiledRuleset, type LoadOptions, type SourceFile } from '../../src/rules/index.js';

/** What Falco's effective ruleset is made of, for comparing two ways of loading it. */
export function effectiveRuleset(ruleset: CompiledRuleset) {
  return {
    rules: ruleset.rules.map((r) => ({
      name: r.name,
      compiledCondition: r.compiledCondition,
      eventTypes: r.eventTypes,
      enabled: r.enabled,
      priority: r.priority,
      source: r.source,
      output: r.output,
      tags: r.tags,
    })),
    macros: ruleset.macros.map((m) => ({ name: m.name, compiledCondition: m.compiledCondition, used: m.used })),
    lists: ruleset.lists.map((l) => ({ name: l.name, items: l.items, used: l.used })),
    requiredEngineVersion: ruleset.requiredEngineVersion,
    requiredPluginVersions: ruleset.requiredPluginVersions,
  };
}

/** Loads the layers, renders one file, loads that, and checks both give the same effective ruleset; returns the rendered file. */
export function expectSingleFileEquivalent(
  layers: SourceFile[],
  options: LoadOptions = {},
): { layered: CompiledRuleset; single: CompiledRuleset; text: string } {
  const layered = loadRules(layers, options);
  expect(layered.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const text = renderRulesFile(layered);
  const single = loadRules([{ path: 'built.yaml', text }], options);
  expect(single.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(effectiveRuleset(single)).toEqual(effectiveRuleset(layered));
  return { layered, single, text };
}

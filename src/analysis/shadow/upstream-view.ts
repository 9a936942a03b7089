/**
 * The effective upstream items by name, from read rules files: a light merge (define, append,
 * override, enabled-only) that needs no compile, so a version pair costs little more than parsing.
 * Upstream files only define items, and incubating/sandbox repeat the macros and lists they use.
 */
import type { Loc } from '../../diagnostics/index.js';
import type { ExceptionDef, Priority, RuleItem, RulesFile } from '../../rules/index.js';

export interface ViewList {
  name: string;
  items: string[];
  loc: Loc;
}

export interface ViewMacro {
  name: string;
  condition: string;
  loc: Loc;
}

export interface ViewRule {
  name: string;
  condition: string;
  output: string;
  desc: string;
  priority: Priority | null;
  enabled: boolean;
  tags: string[];
  exceptions: ExceptionDef[];
  loc: Loc;
}

export interface UpstreamView {
  lists: Map<string, ViewList>;
  macros: Map<string, ViewMacro>;
  rules: Map<string, ViewRule>;
}

export function buildUpstreamView(files: readonly RulesFile[]): UpstreamView {
  const view: UpstreamView = { lists: new Map(), macros: new Map(), rules: new Map() };
  for (const file of files) {
    for (const item of file.items) {
      switch (item.kind) {
        case 'list': {
          const prev = view.lists.get(item.name);
          const append = item.append || item.override?.items === 'append';
          if (append && prev) prev.items = [...prev.items, ...item.items];
          else view.lists.set(item.name, { name: item.name, items: [...item.items], loc: item.loc });
          break;
        }
        case 'macro': {
          const prev = view.macros.get(item.name);
          const append = item.append || item.override?.condition === 'append';
          if (append && prev) prev.condition = `${prev.condition} ${item.condition}`;
          else view.macros.set(item.name, { name: item.name, condition: item.condition, loc: item.loc });
          break;
        }
        case 'rule':
          applyRule(view.rules, item);
          break;
        case 'required_engine_version':
        case 'required_plugin_versions':
          break;
      }
    }
  }
  return view;
}

function applyRule(rules: Map<string, ViewRule>, item: RuleItem): void {
  const prev = rules.get(item.name);
  const f = item.fields;
  if (item.shape === 'define' || !prev) {
    if (item.shape !== 'define') return;
    rules.set(item.name, {
      name: item.name,
      condition: f.condition ?? '',
      output: f.output ?? '',
      desc: f.desc ?? '',
      priority: f.priority ?? null,
      enabled: f.enabled ?? true,
      tags: [...new Set(f.tags ?? [])].sort(),
      exceptions: f.exceptions ?? [],
      loc: item.loc,
    });
    return;
  }
  if (item.shape === 'enabled-only') {
    if (f.enabled !== undefined) prev.enabled = f.enabled;
    return;
  }
  const op = (key: 'condition' | 'output' | 'desc' | 'tags' | 'exceptions') =>
    item.shape === 'append' ? (key === 'condition' || key === 'exceptions' ? 'append' : undefined) : item.override?.[key];
  for (const key of ['condition', 'output', 'desc'] as const) {
    const value = f[key];
    if (value === undefined) continue;
    if (op(key) === 'append') prev[key] = `${prev[key]} ${value}`;
    else if (op(key) === 'replace') prev[key] = value;
  }
  if (f.tags && op('tags')) prev.tags = [...new Set(op('tags') === 'append' ? [...prev.tags, ...f.tags] : f.tags)].sort();
  if (f.exceptions && op('exceptions')) prev.exceptions = op('exceptions') === 'append' ? [...prev.exceptions, ...f.exceptions] : f.exceptions;
  if (item.shape === 'override') {
    if (f.priority !== undefined && item.override?.priority === 'replace') prev.priority = f.priority;
    if (f.enabled !== undefined && item.override?.enabled === 'replace') prev.enabled = f.enabled;
  }
}

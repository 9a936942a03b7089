/** How each item of ours patches an upstream item: what it replaces, appends to or toggles. */
import type { Loc } from '../../diagnostics/index.js';
import type { RulesFile } from '../../rules/index.js';
import type { FieldView, ShadowItemType } from './shadow-finding.js';

export type RuleField = Exclude<FieldView['field'], 'items'>;

export interface OurPatch {
  itemType: ShadowItemType;
  name: string;
  relation: 'replace' | 'append' | 'enable';
  /** A plain (re)definition: it stands alone when upstream's item is gone. */
  redefines: boolean;
  /** The fields our item replaces (lists: items; macros: condition; rules: the replaced keys). */
  replaced: FieldView['field'][];
  /** Our values of those fields. */
  values: Partial<Record<FieldView['field'], string | string[] | boolean>>;
  loc: Loc;
}

const RULE_FIELDS: RuleField[] = ['condition', 'output', 'priority', 'enabled', 'exceptions', 'tags', 'desc'];

export function collectOurPatches(files: readonly RulesFile[]): OurPatch[] {
  const out: OurPatch[] = [];
  for (const file of files) {
    for (const item of file.items) {
      if (item.kind === 'list') {
        out.push(wholeValuePatch('list', item.name, 'items', item.append || item.override?.items === 'append', { items: item.items }, item.loc));
      } else if (item.kind === 'macro') {
        out.push(
          wholeValuePatch('macro', item.name, 'condition', item.append || item.override?.condition === 'append', { condition: item.condition }, item.loc),
        );
      } else if (item.kind === 'rule') {
        const f = item.fields;
        const values: OurPatch['values'] = {};
        for (const key of RULE_FIELDS) {
          const v = key === 'exceptions' ? f.exceptions?.map((e) => e.name) : f[key];
          if (v !== undefined) values[key] = v;
        }
        let relation: OurPatch['relation'];
        let replaced: FieldView['field'][];
        if (item.shape === 'define') {
          relation = 'replace';
          replaced = RULE_FIELDS;
        } else if (item.shape === 'enabled-only') {
          relation = 'enable';
          replaced = [];
        } else if (item.shape === 'append') {
          relation = 'append';
          replaced = [];
        } else {
          replaced = RULE_FIELDS.filter((k) => item.override?.[k] === 'replace' && k !== 'enabled');
          const toggles = item.override?.enabled === 'replace';
          relation = replaced.length > 0 ? 'replace' : toggles && Object.values(item.override ?? {}).every((op) => op === 'replace') ? 'enable' : 'append';
        }
        out.push({ itemType: 'rule', name: item.name, relation, redefines: item.shape === 'define', replaced, values, loc: item.loc });
      }
    }
  }
  return out;
}

/** A list or macro of ours: it appends to upstream's value, or replaces the whole of it. */
function wholeValuePatch(
  itemType: 'list' | 'macro',
  name: string,
  field: 'items' | 'condition',
  append: boolean,
  values: OurPatch['values'],
  loc: Loc,
): OurPatch {
  return { itemType, name, relation: append ? 'append' : 'replace', redefines: !append, replaced: append ? [] : [field], values, loc };
}

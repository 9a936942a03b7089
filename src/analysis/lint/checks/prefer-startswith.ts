import { defineCheck } from '../define-check.js';
import { fieldName } from '../ast-helpers.js';

const PATH_FIELDS = new Set([
  'fd.name',
  'fd.directory',
  'fd.nameraw',
  'proc.exepath',
  'proc.exe',
  'proc.cwd',
  'evt.arg.path',
  'fs.path.name',
  'fs.path.source',
  'fs.path.target',
]);
const ROOTS = /^\/(etc|bin|sbin|usr|lib|lib64|boot|root|var|proc|sys|dev|opt|home|run|tmp|srv|mnt)(\/|$)/;

export const preferStartswith = defineCheck({
  id: 'prefer-startswith',
  severity: 'warning',
  summary: 'A path prefix is tested with startswith, not contains or glob',
  rationale:
    '`fd.name contains /etc` also matches /tmp/x/etc and /home/u/etc-backup, so an attacker can dodge or trigger the rule with a chosen path, and `contains` scans the whole string. `startswith` (or pmatch for several prefixes) says what is meant, matches only the prefix, and stops at the first differing byte.',
  hint: 'use startswith (or pmatch for several prefixes)',
  messages: {
    contains: '{field} contains {value} matches the path anywhere: use {field} startswith {value}',
    glob: '{field} glob {value} is a plain prefix test: use {field} startswith {prefix}',
  },
  visit: {
    condition(cond, ctx) {
      for (const node of cond.nodes) {
        if (node.kind !== 'binary-check' || node.modifier !== undefined || node.left.kind !== 'field' || node.right.kind !== 'value') continue;
        const field = fieldName(node.left)!;
        const value = node.right.value;
        if (node.op === 'contains' && PATH_FIELDS.has(node.left.name) && ROOTS.test(value)) {
          ctx.report(cond.owner, 'contains', { field, value }, cond.locate(node));
        } else if (node.op === 'glob' && value.startsWith('/') && value.endsWith('*') && !/[*?[\]{}\\]/.test(value.slice(0, -1))) {
          ctx.report(cond.owner, 'glob', { field, value, prefix: value.slice(0, -1) }, cond.locate(node));
        }
      }
    },
  },
});

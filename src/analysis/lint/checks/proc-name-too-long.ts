import { defineCheck } from '../define-check.js';
import { fieldName, literalValues } from '../ast-helpers.js';

/** The kernel keeps TASK_COMM_LEN - 1 characters of a task name. */
const COMM_MAX = 15;
const COMM_FIELDS = new Set(['proc.name', 'proc.pname', 'proc.aname', 'thread.name']);
const EXACT_OPS = new Set(['=', '==', '!=', 'in', 'intersects']);

export const procNameTooLong = defineCheck({
  id: 'proc-name-too-long',
  severity: 'warning',
  summary: 'proc.name is never compared with a value longer than 15 characters',
  rationale:
    'proc.name (and proc.pname, proc.aname) is the task command name, which the kernel truncates to 15 characters (TASK_COMM_LEN). An exact comparison with a longer value can never be true, so the rule or the exclusion silently does nothing: `proc.name = containerd-shim-runc-v2` never matches, its process is named containerd-shim.',
  hint: 'compare proc.exepath (the full path) or proc.cmdline, or use the 15-character truncated name',
  messages: {
    long: '{field} {op} "{value}": the kernel truncates process names to 15 characters, so this value never matches',
  },
  visit: {
    condition(cond, ctx) {
      for (const node of cond.nodes) {
        if (node.kind !== 'binary-check' || node.left.kind !== 'field' || !COMM_FIELDS.has(node.left.name)) continue;
        if (!EXACT_OPS.has(node.op) && node.modifier === undefined) continue;
        for (const value of literalValues(node)) {
          if (value.length <= COMM_MAX || [...value].length <= COMM_MAX) continue;
          ctx.report(cond.owner, 'long', { field: fieldName(node.left)!, op: node.op, value }, cond.locate(node));
        }
      }
    },
  },
});

import { describe, expect, it } from 'vitest';
import { compilerHints, defaultCatalog, parseCondition } from '../../src/condition/index.js';
import type { Expr } from '../../src/condition/ast.js';

function parse(text: string): Expr {
  const r = parseCondition(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
  return r.expr;
}

const hints = (text: string) => compilerHints(parse(text), defaultCatalog).map((h) => h.message);
const SIMPLER = "may be optimized with simpler operators such as '=', 'contains', 'startswith', 'endswith'";

describe('compilerHints (LOAD_COMPILE_CONDITION)', () => {
  it.each([
    ['proc.name regex bash', [`regex check with 'bash' ${SIMPLER}`]],
    ['proc.name regex "^bash$"', [`regex check with '^bash$' ${SIMPLER}`]],
    ['proc.name regex ".*bash.*"', [`regex check with '.*bash.*' ${SIMPLER}`]],
    ['proc.name regex "ba(sh|zsh)"', []],
    ['proc.name regex "b.sh"', []],
    ['proc.name = proc.pname', ["'proc.pname' may be a valid field misused as a const string value"]],
    ['proc.name in (bash, proc.pname)', ["'proc.pname' may be a valid field misused as a const string value"]],
    ['proc.name = "tolower(proc.pname)"', ["'tolower(proc.pname)' may be a valid field transformer misused as a const string value"]],
    ['proc.name = k8s.gcr.io', []],
    ['proc.name = bash', []],
    ['proc.name = val(proc.pname)', []],
  ])('%s', (condition, expected) => {
    expect(hints(condition)).toEqual(expected);
  });

  it('reports at the right-hand operand', () => {
    const text = 'proc.name = proc.pname';
    expect(compilerHints(parse(text), defaultCatalog)[0]?.span).toEqual({ start: 12, end: 22 });
  });
});

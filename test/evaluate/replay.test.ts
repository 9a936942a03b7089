import { describe, expect, it } from 'vitest';
import { createReplayAccumulator, planReplay, replayAlert, type FalcoAlert } from '../../src/evaluate/index.js';
import { tableFieldTypes, type FalcoEvent } from '../../src/evaluate/index.js';
import { rule } from './helpers/rules.js';

const types = () => tableFieldTypes({ 'proc.pid': { type: 'INT64', list: false } });

function alert(ruleName: string, fields: FalcoEvent): FalcoAlert {
  return { rule: ruleName, priority: 'Warning', output: `${ruleName} ${JSON.stringify(fields)}`, source: 'syscall', time: '', tags: [], hostname: 'h', fields };
}

// Shapes as the loader expands them: open_read and friends need fields a recorded alert never has.
const OPEN_READ = '(evt.type in (open, openat) and evt.is_open_read = true and fd.typechar = f and fd.num >= 0)';
const SENSITIVE = '(fd.name startswith /etc/shadow or fd.name startswith /etc/pam.d/)';
const BASE = `(${OPEN_READ} and ${SENSITIVE} and not (evt.num = 0))`;

describe('replay by difference', () => {
  it('an unchanged rule still fires even though the alert lacks the fields its condition reads', () => {
    const plan = planReplay([rule('Read sensitive', BASE)], [rule('Read sensitive', BASE)], types);
    expect(replayAlert(plan, alert('Read sensitive', { 'proc.name': 'cat' }), false)?.verdict).toBe('fires');
  });

  it('an overridden user_known macro decides on the alert fields alone', () => {
    const candidate = `(${OPEN_READ} and ${SENSITIVE} and not ((evt.num = 0) or (proc.name = google_guest_ag and fd.name = /etc/pam.d/sshd)))`;
    const plan = planReplay([rule('R', BASE)], [rule('R', candidate)], types);
    const suppressed = replayAlert(plan, alert('R', { 'proc.name': 'google_guest_ag', 'fd.name': '/etc/pam.d/sshd' }), true);
    expect(suppressed?.verdict).toBe('suppressed');
    const fires = replayAlert(plan, alert('R', { 'proc.name': 'cat', 'fd.name': '/etc/shadow' }), true);
    expect(fires?.verdict).toBe('fires');
    const undecided = replayAlert(plan, alert('R', { 'fd.name': '/etc/pam.d/sshd' }), true);
    expect(undecided?.verdict).toBe('undecided');
    expect(undecided?.explanation?.missing).toEqual(['proc.name']);
  });

  it('an appended exception clause is evaluated; the original condition is known to hold', () => {
    const candidate = `(${BASE} and not (proc.name in (google_guest_ag, sshd) and fd.name startswith /etc/pam.d/))`;
    const plan = planReplay([rule('R', BASE)], [rule('R', candidate)], types);
    expect(replayAlert(plan, alert('R', { 'proc.name': 'sshd', 'fd.name': '/etc/pam.d/common' }), false)?.verdict).toBe('suppressed');
    expect(replayAlert(plan, alert('R', { 'proc.name': 'sshd', 'fd.name': '/etc/shadow' }), false)?.verdict).toBe('fires');
  });

  it('a disabled or removed rule suppresses everything; a rule unknown to both rulesets is left out', () => {
    const plan = planReplay([rule('A', BASE), rule('B', BASE)], [rule('A', BASE, { enabled: false })], types);
    expect(replayAlert(plan, alert('A', {}), false)).toEqual({ rule: 'A', change: 'disabled', verdict: 'suppressed' });
    expect(replayAlert(plan, alert('B', {}), false)).toEqual({ rule: 'B', change: 'removed', verdict: 'suppressed' });
    expect(replayAlert(plan, alert('C', {}), false)).toBeUndefined();
  });

  it('a rewritten or-branch is not assumed: only what the base forces is known', () => {
    const base = '(evt.type = execve and (proc.name = a or proc.pname = b))';
    const candidate = '(evt.type = execve and (proc.name = a or proc.pname = c))';
    const plan = planReplay([rule('R', base)], [rule('R', candidate)], types);
    expect(replayAlert(plan, alert('R', { 'proc.name': 'x' }), true)?.explanation?.missing).toEqual(['proc.pname']);
    expect(replayAlert(plan, alert('R', { 'proc.name': 'x', 'proc.pname': 'b' }), false)?.verdict).toBe('suppressed');
    expect(replayAlert(plan, alert('R', { 'proc.name': 'a' }), false)?.verdict).toBe('fires');
  });
});

describe('replay accumulator', () => {
  it('counts per rule, keeps a few examples and counts malformed lines', () => {
    const candidate = `(${BASE} and not proc.name = sshd)`;
    const plan = planReplay([rule('R', BASE), rule('S', BASE)], [rule('R', candidate), rule('S', BASE)], types);
    const acc = createReplayAccumulator(plan, { base: 'base', candidate: 'cand' }, 2);
    const lines = [
      JSON.stringify({ rule: 'R', output: 'o1', output_fields: { 'proc.name': 'sshd' } }),
      JSON.stringify({ rule: 'R', output: 'o2', output_fields: { 'proc.name': 'cat' } }),
      JSON.stringify({ rule: 'R', output: 'o3', output_fields: { 'proc.name': 'sshd' } }),
      JSON.stringify({ rule: 'R', output: 'o4', output_fields: { 'proc.name': 'sshd' } }),
      JSON.stringify({ rule: 'R', output: 'o5', output_fields: { 'fd.name': '/x' } }),
      JSON.stringify({ rule: 'S', output: 's', output_fields: {} }),
      '{not json',
      '',
    ];
    lines.forEach((l, i) => acc.addLine(l, i + 1));
    const r = acc.report();
    expect(r.alerts).toBe(6);
    expect(r.malformed.count).toBe(1);
    expect(r.totals).toEqual({ fires: 2, suppressed: 3, undecided: 1 });
    const R = r.rules[0];
    expect([R?.rule, R?.change, R?.alerts, R?.fires, R?.suppressed, R?.undecided]).toEqual(['R', 'changed', 5, 1, 3, 1]);
    expect(R?.examples.suppressed.map((e) => e.line)).toEqual([1, 3]);
    expect(R?.examples.suppressed[0]?.deciding).toEqual(['proc.name = sshd → true']);
    expect(R?.missingFields).toEqual([{ field: 'proc.name', alerts: 1 }]);
    expect(r.rules[1]?.change).toBe('unchanged');
  });
});

describe('replay through implication', () => {
  it('a list widened by an append keeps the base proof, inside an or', () => {
    const base = '(evt.type = execve and (proc.aname in (nginx, httpd) or proc.pexe endswith java) and not proc.pname in (bash))';
    const candidate = '(evt.type = execve and (proc.aname in (nginx, httpd, php) or proc.pexe endswith java) and not proc.pname in (bash))';
    const plan = planReplay([rule('R', base)], [rule('R', candidate)], types);
    expect(replayAlert(plan, alert('R', { 'proc.name': 'sh' }), false)?.verdict).toBe('fires');
  });

  it('a list narrowed by a replace is not assumed to hold', () => {
    const base = '(evt.type = execve and proc.aname in (nginx, httpd, php))';
    const candidate = '(evt.type = execve and proc.aname in (nginx, httpd))';
    const plan = planReplay([rule('R', base)], [rule('R', candidate)], types);
    expect(replayAlert(plan, alert('R', {}), false)?.verdict).toBe('undecided');
    expect(replayAlert(plan, alert('R', { 'proc.aname': ['php', 'systemd'] }), false)?.verdict).toBe('suppressed');
  });

  it('an exception list that shrank cannot suppress what the base let through', () => {
    const base = '(evt.type = open and not proc.name in (vim, nano))';
    const candidate = '(evt.type = open and not proc.name in (vim))';
    const plan = planReplay([rule('R', base)], [rule('R', candidate)], types);
    expect(replayAlert(plan, alert('R', {}), false)?.verdict).toBe('fires');
  });
});

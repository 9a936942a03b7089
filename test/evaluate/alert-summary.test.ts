import { describe, expect, it } from 'vitest';
import { createSummaryAccumulator, sanitizeOutput } from '../../src/evaluate/index.js';
import { rule } from './helpers/rules.js';

function line(ruleName: string, output: string, fields: Record<string, unknown>): string {
  return JSON.stringify({ rule: ruleName, priority: 'Warning', output, output_fields: fields, time: '2026-01-01T00:00:00Z' });
}

describe('alerts summarize', () => {
  it('sanitises ids, numbers, terminals and addresses', () => {
    expect(sanitizeOutput('12:00:01.123456789: Warning Sensitive file opened (user=root pid=4242 container_id=3ad7b26ded6d terminal=pts/3 ip=10.0.0.12)')).toBe(
      'Warning Sensitive file opened (user=root pid=<n> container_id=<id> terminal=<tty> ip=<ip>)',
    );
  });

  it('groups by rule, output and explaining fields, and suggests narrow exceptions', () => {
    const acc = createSummaryAccumulator({ top: 5 });
    for (let i = 0; i < 30; i++) acc.addLine(line('Read sensitive', `read pid=${i}`, { 'proc.name': 'google_guest_ag', 'fd.name': '/etc/pam.d/sshd' }));
    for (let i = 0; i < 5; i++) acc.addLine(line('Read sensitive', `read pid=${i}`, { 'proc.name': 'cat', 'fd.name': '/etc/shadow' }));
    for (let i = 0; i < 20; i++) acc.addLine(line('Write below etc', 'write', { 'proc.name': 'confd', 'fd.name': '/etc/app/conf.yaml' }));
    for (let i = 0; i < 10; i++) acc.addLine(line('Shell in container', 'shell', { 'proc.name': 'bash' }));
    acc.addLine('garbage');
    const s = acc.summary({
      rules: [
        rule('Read sensitive', 'open_read and sensitive_files and not user_known_read_sensitive_files_activities'),
        {
          ...rule('Write below etc', 'evt.type = open'),
          exceptions: [{ name: 'proc_writer', fields: ['proc.name', 'fd.name'], loc: { file: 'x', line: 1, column: 1 } }],
        },
      ],
      macros: [{ name: 'user_known_read_sensitive_files_activities', condition: '(never_true)' }],
    });
    expect([s.lines, s.alerts, s.malformed]).toEqual([66, 65, 1]);
    expect(s.rules.map((r) => [r.rule, r.alerts])).toEqual([
      ['Read sensitive', 35],
      ['Write below etc', 20],
      ['Shell in container', 10],
    ]);
    expect(s.rules[0]?.outputs).toEqual([{ rule: 'Read sensitive', output: 'read pid=<n>', alerts: 35, example: 'read pid=0' }]);
    expect(s.rules[0]?.byFields[0]).toEqual({ fields: { 'proc.name': 'google_guest_ag', 'fd.name': '/etc/pam.d/sshd' }, alerts: 30 });
    expect(s.suggestions.map((x) => [x.rule, x.via, x.alerts])).toEqual([
      ['Read sensitive', 'macro', 30],
      ['Write below etc', 'exception', 20],
      ['Read sensitive', 'macro', 5],
    ]);
    expect(s.suggestions[0]?.snippet).toBe(
      '- macro: user_known_read_sensitive_files_activities\n  condition: or (proc.name = google_guest_ag and fd.name = /etc/pam.d/sshd)\n  override:\n    condition: append\n',
    );
    expect(s.suggestions[1]?.snippet).toBe(
      '- rule: Write below etc\n  exceptions:\n    - name: proc_writer\n      values:\n        - - confd\n          - /etc/app/conf.yaml\n  override:\n    exceptions: append\n',
    );
    expect(s.notes).toEqual(['Shell in container: 10 alerts share only proc.name; an exception on the process alone would hide the detection']);
  });
});

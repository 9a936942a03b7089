import { describe, expect, it } from 'vitest';
import { buildRuleIndex, candidateRules, evaluateEvent, tableFieldTypes } from '../../src/evaluate/index.js';
import { rule } from './helpers/rules.js';

const index = buildRuleIndex(
  [
    rule('Open', '(evt.type in (open, openat) and fd.name = /etc/shadow)', { eventTypes: ['open', 'openat'] }),
    rule('Exec', '(evt.type = execve and proc.name = nc)', { eventTypes: ['execve'] }),
    rule('Any', 'proc.name = nc'),
    rule('Off', '(evt.type = execve and proc.name = nc)', { eventTypes: ['execve'], enabled: false }),
    rule('Audit', 'ka.verb = create', { source: 'k8s_audit' }),
  ],
  () => tableFieldTypes({}),
);

describe('rule index by event type', () => {
  it('offers an event only the enabled rules of its type and the untyped ones, in ruleset order', () => {
    expect(candidateRules(index, { 'evt.type': 'execve' }).map((r) => r.name)).toEqual(['Exec', 'Any']);
    expect(candidateRules(index, { 'evt.type': 'openat' }).map((r) => r.name)).toEqual(['Open', 'Any']);
    expect(candidateRules(index, { 'evt.type': 'close' }).map((r) => r.name)).toEqual(['Any']);
    expect(candidateRules(index, {}).map((r) => r.name)).toEqual(['Open', 'Exec', 'Any']);
    expect(candidateRules(index, { 'evt.type': 'execve' }, 'k8s_audit').map((r) => r.name)).toEqual(['Audit']);
  });

  it('separates fired from undecided rules', () => {
    const v = evaluateEvent(index, { 'evt.type': 'execve', 'proc.name': 'nc' });
    expect(v.fired.map((r) => r.name)).toEqual(['Exec', 'Any']);
    const w = evaluateEvent(index, { 'evt.type': 'openat', 'proc.name': 'nc' });
    expect([w.fired.map((r) => r.name), w.undecided.map((r) => r.name)]).toEqual([['Any'], ['Open']]);
  });
});

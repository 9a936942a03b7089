import { describe, expect, it } from 'vitest';
import { mergeUpstream } from '../../src/analysis/shadow/index.js';
import { parseCondition, printCanonical } from '../../src/condition/index.js';
import { loadRules, readRulesFile } from '../../src/rules/index.js';
import { exclusionsAsExceptions, rebaseOverlay } from '../../src/upstream/index.js';

const view = (path: string, text: string) => mergeUpstream([readRulesFile({ path, text })]);
const canonical = (text: string) => {
  const parsed = parseCondition(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return printCanonical(parsed.expr);
};

const RULE_BASE = `- rule: Shell spawned by service
  desc: a shell started by a service
  condition: spawned_process and proc.name in (bash, sh) and not proc.pname in (known_shell_parents)
  output: shell %proc.name parent %proc.pname
  priority: WARNING
`;
const EXCEPTIONS = (parents: string) => `  exceptions:
    - name: parent_names
      fields: proc.pname
      values: [${parents}]
    - name: image_parent
      fields: [container.image.repository, proc.pname]
      comps: [=, in]
      values:
        - [docker.io/library/nginx, [nginx]]
`;
const BASE = `- macro: spawned_process
  condition: evt.type in (execve, execveat) and evt.dir=<
- list: known_shell_parents
  items: [sshd]
${RULE_BASE}${EXCEPTIONS('cron')}`;
// Upstream 2: zsh counts as a shell, and anacron joins the excepted parents.
const THEIRS = `- macro: spawned_process
  condition: evt.type in (execve, execveat) and evt.dir=<
- list: known_shell_parents
  items: [sshd]
${RULE_BASE.replace('(bash, sh)', '(bash, sh, zsh)')}${EXCEPTIONS('cron, anacron')}`;
const BASE_CONDITION = 'spawned_process and proc.name in (bash, sh) and not proc.pname in (known_shell_parents)';

/** Our full copy of the base rule with `clause` added to its condition (and, if given, more YAML after it). */
const ours = (clause: string, rest = '') => `# Ours: services of ours start shells too.
${RULE_BASE.replace(BASE_CONDITION, `${BASE_CONDITION} ${clause}`)}${rest}`;

/** The rule's compiled condition once the rebased overlay loads over the new upstream, which must load cleanly. */
function compiledOver(theirs: string, overlay: string): string | undefined {
  const loaded = loadRules([
    { path: 'rules/upstream/falco_rules.yaml', text: theirs },
    { path: 'environments/prod/overlay.yaml', text: overlay },
  ]);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return loaded.rules.find((r) => r.name === 'Shell spawned by service')?.compiledCondition;
}

// Upstream 2's rule as Falco compiles it (§2.6): `(condition) and not X1 and not X2`, spawned_process expanded in place.
const theirsCondition = (parents: string, imageTuples: string, extra = '') =>
  canonical(
    `((evt.type in (execve, execveat) and evt.dir=<) and proc.name in (bash, sh, zsh) and not proc.pname in (sshd)${extra}) ` +
      `and not (proc.pname in (${parents})) and not (${imageTuples})`,
  );
const NGINX = '(container.image.repository = docker.io/library/nginx and proc.pname in (nginx))';

describe('rebase: a replaced rule whose only change is an added exclusion', () => {
  const base = view('base.yaml', BASE);
  const theirs = view('theirs.yaml', THEIRS);

  it('`and not <field> in (…)` becomes values of the single-field exception on that field', () => {
    const r = rebaseOverlay(ours('and not proc.pname in (systemd, "my agent")'), base, theirs);
    expect(r.conflicts).toEqual([]);
    expect(r.rewrites).toEqual([
      { kind: 'rule-to-exception', name: 'Shell spawned by service', exceptions: [{ name: 'parent_names', values: ['systemd', 'my agent'] }], clause: null },
    ]);
    expect(r.text).toBe(
      '# Ours: services of ours start shells too.\n' +
        '- rule: Shell spawned by service\n' +
        '  exceptions:\n' +
        '    - name: parent_names\n' +
        '      values: [systemd, my agent]\n' +
        '  override: {exceptions: append}\n',
    );
    expect(compiledOver(THEIRS, r.text)).toBe(theirsCondition('cron, anacron, systemd, "my agent"', NGINX));
  });

  it('`and not (f1 = v1 and f2 in (…))` becomes a tuple of the list-form exception on those fields, in its field order', () => {
    const r = rebaseOverlay(
      ours(
        'and not ((proc.pname in (redis-server, redis-sentinel) and container.image.repository = docker.io/library/redis) or (container.image.repository = quay.io/acme/agent and proc.pname = agent))',
      ),
      base,
      theirs,
    );
    expect(r.rewrites).toEqual([
      {
        kind: 'rule-to-exception',
        name: 'Shell spawned by service',
        exceptions: [
          {
            name: 'image_parent',
            values: [
              ['docker.io/library/redis', ['redis-server', 'redis-sentinel']],
              ['quay.io/acme/agent', ['agent']],
            ],
          },
        ],
        clause: null,
      },
    ]);
    expect(compiledOver(THEIRS, r.text)).toBe(
      theirsCondition(
        'cron, anacron',
        `${NGINX} or (container.image.repository = docker.io/library/redis and proc.pname in (redis-server, redis-sentinel)) or (container.image.repository = quay.io/acme/agent and proc.pname in (agent))`,
      ),
    );
  });

  it('exclusions that fit an exception go there, the rest stays a condition append', () => {
    const r = rebaseOverlay(ours('and not proc.pname = systemd and not user.name = ci'), base, theirs);
    expect(r.rewrites).toEqual([
      {
        kind: 'rule-to-exception',
        name: 'Shell spawned by service',
        exceptions: [{ name: 'parent_names', values: ['systemd'] }],
        clause: 'and not user.name = ci',
      },
    ]);
    expect(compiledOver(THEIRS, r.text)).toBe(theirsCondition('cron, anacron, systemd', NGINX, ' and not user.name = ci'));
  });

  it('an exclusion on fields no exception has stays a condition append', () => {
    const r = rebaseOverlay(ours('and not user.name in (ci, build)'), base, theirs);
    expect(r.rewrites).toEqual([{ kind: 'rule-to-append', name: 'Shell spawned by service', clause: 'and not user.name in (ci, build)' }]);
    expect(compiledOver(THEIRS, r.text)).toBe(theirsCondition('cron, anacron', NGINX, ' and not user.name in (ci, build)'));
  });

  it('a value Falco would not quote back (a comma, no blank) stays in the condition', () => {
    const r = rebaseOverlay(ours('and not proc.pname in ("a,b")'), base, theirs);
    expect(r.rewrites.map((w) => w.kind)).toEqual(['rule-to-append']);
    expect(compiledOver(THEIRS, r.text)).toBe(theirsCondition('cron, anacron', NGINX, ' and not proc.pname in ("a,b")'));
  });

  it('a copy that repeats the base exceptions converts too; one with exceptions of its own is left for a human', () => {
    const copied = rebaseOverlay(ours('and not proc.pname = systemd', EXCEPTIONS('cron')), base, theirs);
    expect(copied.rewrites.map((w) => w.kind)).toEqual(['rule-to-exception']);
    expect(compiledOver(THEIRS, copied.text)).toBe(theirsCondition('cron, anacron, systemd', NGINX));
    const own = ours('and not proc.pname = systemd', EXCEPTIONS('cron, atd'));
    const r = rebaseOverlay(own, base, theirs);
    expect(r.rewrites).toEqual([]);
    expect(r.conflicts).toEqual([
      {
        itemType: 'rule',
        name: 'Shell spawned by service',
        line: 2,
        reason: 'upstream changed this rule and ours differs by more than an added clause: merge by hand',
      },
    ]);
    expect(r.text).toBe(own);
  });

  it('a change of upstream exceptions alone is a change underneath too', () => {
    const onlyExceptions = THEIRS.replace('(bash, sh, zsh)', '(bash, sh)');
    const r = rebaseOverlay(ours('and not proc.pname = systemd'), base, view('theirs.yaml', onlyExceptions));
    expect(r.rewrites.map((w) => w.kind)).toEqual(['rule-to-exception']);
  });
});

describe('exclusions as exception values', () => {
  const single = [{ name: 'p', fields: 'proc.pname', loc: { file: 'f', line: 1, column: 1 } }];
  it('needs an `and` clause whose parts are `not` checks on the exception fields', () => {
    expect(exclusionsAsExceptions('or not proc.pname = x', single)).toBeNull();
    expect(exclusionsAsExceptions('and proc.pname = x', single)).toBeNull();
    expect(exclusionsAsExceptions('and not proc.pname startswith x', single)).toBeNull();
    expect(exclusionsAsExceptions('and not (proc.pname = x and user.name = y)', single)).toBeNull();
    expect(exclusionsAsExceptions('and not proc.pname = x and not proc.pname in (y, z)', single)).toEqual({
      exceptions: [{ name: 'p', values: ['x', 'y', 'z'] }],
      clause: null,
    });
  });

  it('a pmatch or modifier exception takes only the same comparison', () => {
    const prefixes = [{ name: 'd', fields: 'fd.name', comps: 'startswith oneof', loc: { file: 'f', line: 1, column: 1 } }];
    expect(exclusionsAsExceptions('and not fd.name startswith oneof (/tmp/, /run/)', prefixes)).toEqual({
      exceptions: [{ name: 'd', values: ['/tmp/', '/run/'] }],
      clause: null,
    });
    expect(exclusionsAsExceptions('and not fd.name in (/tmp/)', prefixes)).toBeNull();
  });
});

describe('rebase compares priorities as Falco reads them', () => {
  const rule = (priority: string, condition: string, exceptions = '') => `- rule: R
  desc: d
  condition: ${condition}
  output: o
  priority: ${priority}
${exceptions}`;
  const LIST_FORM = '  exceptions:\n    - {name: e, fields: [proc.pname, fd.name], comps: [in, startswith], values: [[[a], /x]]}\n';

  it("`INFO` in our copy is upstream's Informational, so the copy converts", () => {
    const base = view('b.yaml', rule('INFO', 'evt.type = open', LIST_FORM));
    const theirs = view('t.yaml', rule('INFO', 'evt.type in (open, openat)', LIST_FORM));
    const r = rebaseOverlay(rule('info', 'evt.type = open and not (proc.pname in (b, c) and fd.name startswith /y)'), base, theirs);
    expect(r.rewrites).toEqual([{ kind: 'rule-to-exception', name: 'R', exceptions: [{ name: 'e', values: [[['b', 'c'], '/y']] }], clause: null }]);
    const loaded = loadRules([
      { path: 't.yaml', text: rule('INFO', 'evt.type in (open, openat)', LIST_FORM) },
      { path: 'o.yaml', text: r.text },
    ]);
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(loaded.rules[0]?.compiledCondition).toBe(
      canonical('(evt.type in (open, openat)) and not ((proc.pname in (a) and fd.name startswith /x) or (proc.pname in (b, c) and fd.name startswith /y))'),
    );
  });
});

// The rules explorer: hash routes over the data in data.js. Every piece of rule text reaches the
// page through textContent or attribute setters, never as markup (rule names and conditions are input).
'use strict';
(function () {
  const DATA = window.FALCO_GITOPS_SITE;
  const main = document.getElementById('main');
  const envSelect = document.getElementById('env');
  const PRIORITIES = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'];
  const FILTERS = ['q', 'tag', 'priority', 'source', 'changed', 'enabled'];

  /** An element with attributes (`on*` as listeners) and children (strings become text nodes). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'class') el.className = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    append(el, children);
    return el;
  }
  function append(el, children) {
    for (const c of children.flat(Infinity)) {
      if (c === undefined || c === null || c === false) continue;
      el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    }
  }

  const enc = encodeURIComponent;
  const routeTo = (env, kind, name, query) => `#/${enc(env)}${kind ? `/${kind}` : ''}${name !== undefined ? `/${enc(name)}` : ''}${query ? `?${query}` : ''}`;
  const link = (env, kind, name, text) => h('a', { href: routeTo(env, kind, name) }, text === undefined ? name : text);
  const loc = (file, line) => `${file}:${line}`;
  const layerBadge = (layer) => h('span', { class: `badge layer-${layer}` }, layer);
  const environment = (name) => DATA.environments.find((e) => e.name === name);

  function parseRoute() {
    const raw = location.hash.replace(/^#\/?/, '');
    const [path, query = ''] = raw.split('?');
    const parts = path
      .split('/')
      .filter((p) => p !== '')
      .map((p) => {
        try {
          return decodeURIComponent(p);
        } catch {
          return p;
        }
      });
    const env = environment(parts[0]) ? parts[0] : DATA.environments[0] && DATA.environments[0].name;
    return { env, kind: parts[1] || '', name: parts.slice(2).join('/'), params: new URLSearchParams(query) };
  }

  function table(caption, headers, rows, opts) {
    const numeric = (opts && opts.numeric) || [];
    return h(
      'table',
      {},
      h('caption', {}, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          headers.map((t, i) => h('th', { scope: 'col', class: numeric.includes(i) ? 'num' : null }, t)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((cells) =>
          h(
            'tr',
            {},
            cells.map((c, i) => h('td', { class: numeric.includes(i) ? 'num' : null }, c)),
          ),
        ),
      ),
    );
  }

  function counted(values) {
    const counts = new Map();
    for (const v of values) counts.set(v, (counts.get(v) || 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  }

  const isTechnique = (tag) => /^T\d{4}(\.\d{3})?$/.test(tag);
  const isTactic = (tag) => tag.startsWith('mitre_');

  // ---- overview -------------------------------------------------------------------------------

  function overview(env, params) {
    const rules = env.rules;
    const enabled = rules.filter((r) => r.enabled).length;
    const tags = rules.flatMap((r) => r.tags);
    const filterLink = (key, value, text) => h('a', { href: routeTo(env.name, '', undefined, `${key}=${enc(value)}`) }, text === undefined ? value : text);
    const breakdown = (caption, heading, entries, key) =>
      table(
        caption,
        [heading, 'Rules'],
        entries.map(([v, n]) => [filterLink(key, v), String(n)]),
        { numeric: [1] },
      );

    const errors = env.lint.errors;
    const lintClass = errors > 0 ? 'bad' : env.lint.warnings > 0 ? 'warn' : 'ok';
    const testClass = env.tests.failed > 0 ? 'bad' : 'ok';
    const cards = h(
      'div',
      { class: 'cards' },
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'c-rules' },
        h('h2', { id: 'c-rules' }, 'Rules'),
        h('p', { class: 'big' }, String(rules.length)),
        h('p', {}, `${enabled} enabled, ${rules.length - enabled} disabled`),
      ),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'c-lint' },
        h('h2', { id: 'c-lint' }, h('a', { href: routeTo(env.name, 'findings') }, 'Lint')),
        h('p', { class: `big ${lintClass}` }, errors > 0 ? 'failing' : 'passing'),
        h('p', {}, `${errors} errors, ${env.lint.warnings} warnings, ${env.lint.notes} notes`),
      ),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'c-tests' },
        h('h2', { id: 'c-tests' }, 'Rule tests'),
        h('p', { class: `big ${testClass}` }, env.tests.failed > 0 ? `${env.tests.failed} failed` : 'passing'),
        h('p', {}, `${env.tests.passed} passed, ${env.tests.failed} failed`),
      ),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'c-artifact' },
        h('h2', { id: 'c-artifact' }, 'Artifact'),
        env.artifact
          ? [h('p', {}, h('code', {}, env.artifact.reference)), h('p', {}, h('code', { class: 'digest' }, env.artifact.digest))]
          : h('p', { class: 'muted' }, 'not built (run falco-gitops build)'),
      ),
    );
    const upstream = DATA.upstream.length
      ? table(
          'Upstream rulesets pinned in upstream.lock.yaml',
          ['Ruleset', 'Version', 'File'],
          DATA.upstream.map((u) => [u.name, u.version, h('code', {}, u.file)]),
        )
      : h('p', { class: 'muted' }, 'No upstream ruleset is pinned.');

    const breakdowns = h(
      'div',
      { class: 'breakdowns' },
      breakdown(
        'By priority',
        'Priority',
        counted(rules.map((r) => r.priority)).sort((a, b) => PRIORITIES.indexOf(a[0]) - PRIORITIES.indexOf(b[0])),
        'priority',
      ),
      breakdown('By source', 'Source', counted(rules.map((r) => r.source)), 'source'),
      breakdown('MITRE ATT&CK tactics', 'Tactic tag', counted(tags.filter(isTactic)), 'tag'),
      breakdown('MITRE ATT&CK techniques', 'Technique tag', counted(tags.filter(isTechnique)), 'tag'),
      breakdown('Other tags', 'Tag', counted(tags.filter((t) => !isTactic(t) && !isTechnique(t))), 'tag'),
    );
    return [
      h('h1', {}, `Environment ${env.name}`),
      cards,
      h('h2', {}, 'Upstream versions'),
      upstream,
      h('h2', { id: 'rules-heading' }, 'Rules'),
      ruleBrowser(env, params),
      h('h2', {}, 'Breakdown'),
      breakdowns,
    ];
  }

  function ruleBrowser(env, params) {
    const options = (values) => [h('option', { value: '' }, 'any'), ...values.map((v) => h('option', { value: v }, v))];
    const sorted = (values) => [...new Set(values)].sort();
    const q = h('input', { type: 'search', id: 'f-q', placeholder: 'Rule name', value: params.get('q') || '' });
    const tag = h('select', { id: 'f-tag' }, options(sorted(env.rules.flatMap((r) => r.tags))));
    const priority = h('select', { id: 'f-priority' }, options(PRIORITIES.filter((p) => env.rules.some((r) => r.priority === p))));
    const source = h('select', { id: 'f-source' }, options(sorted(env.rules.map((r) => r.source))));
    const enabled = h(
      'select',
      { id: 'f-enabled' },
      h('option', { value: '' }, 'any'),
      h('option', { value: 'yes' }, 'enabled'),
      h('option', { value: 'no' }, 'disabled'),
    );
    const changed = h('input', { type: 'checkbox', id: 'f-changed' });
    tag.value = params.get('tag') || '';
    priority.value = params.get('priority') || '';
    source.value = params.get('source') || '';
    enabled.value = params.get('enabled') || '';
    changed.checked = params.get('changed') === '1';
    const count = h('p', { id: 'rule-count', role: 'status', 'aria-live': 'polite' });
    const body = h('tbody', { id: 'rule-rows' });
    const field = (label, id, control) => h('div', {}, h('label', { for: id }, label), control);

    function update() {
      const needle = q.value.trim().toLowerCase();
      const shown = env.rules.filter(
        (r) =>
          (needle === '' || r.name.toLowerCase().includes(needle)) &&
          (tag.value === '' || r.tags.includes(tag.value)) &&
          (priority.value === '' || r.priority === priority.value) &&
          (source.value === '' || r.source === source.value) &&
          (enabled.value === '' || r.enabled === (enabled.value === 'yes')) &&
          (!changed.checked || r.changedByUs),
      );
      body.replaceChildren(
        ...shown.map((r) =>
          h(
            'tr',
            {},
            h('td', {}, link(env.name, 'rule', r.name)),
            h('td', {}, r.priority),
            h('td', {}, r.source),
            h('td', {}, r.enabled ? 'enabled' : h('span', { class: 'muted' }, 'disabled')),
            h('td', {}, layerBadge(r.layer), r.changedByUs && r.layer === 'upstream' ? h('span', { class: 'badge layer-overlay' }, 'changed by us') : null),
          ),
        ),
      );
      count.textContent = `${shown.length} of ${env.rules.length} rules`;
      const query = new URLSearchParams();
      if (q.value) query.set('q', q.value);
      if (tag.value) query.set('tag', tag.value);
      if (priority.value) query.set('priority', priority.value);
      if (source.value) query.set('source', source.value);
      if (enabled.value) query.set('enabled', enabled.value);
      if (changed.checked) query.set('changed', '1');
      const target = routeTo(env.name, '', undefined, query.toString());
      if (location.hash !== target) history.replaceState(null, '', target);
    }
    for (const control of [q, tag, priority, source, enabled, changed]) control.addEventListener(control === q ? 'input' : 'change', update);
    update();
    return h(
      'section',
      { 'aria-labelledby': 'rules-heading' },
      h(
        'form',
        { class: 'filters', role: 'search', onsubmit: (e) => e.preventDefault() },
        field('Search', 'f-q', q),
        field('Tag', 'f-tag', tag),
        field('Priority', 'f-priority', priority),
        field('Source', 'f-source', source),
        field('State', 'f-enabled', enabled),
        h('div', { class: 'check' }, changed, ' ', h('label', { for: 'f-changed' }, 'changed by us')),
      ),
      count,
      h(
        'table',
        {},
        h('caption', { class: 'visually-hidden' }, 'Rules matching the filters'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Rule', 'Priority', 'Source', 'State', 'Layer'].map((t) => h('th', { scope: 'col' }, t)),
          ),
        ),
        body,
      ),
    );
  }

  // ---- items ----------------------------------------------------------------------------------

  function fields(pairs) {
    return h(
      'dl',
      { class: 'fields' },
      pairs.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
    );
  }
  const historyTable = (items) =>
    table(
      'Every change in load order',
      ['Field', 'Change', 'Layer', 'Where'],
      items.map((c) => [
        c.field === '*' ? 'whole item' : c.field,
        c.action,
        layerBadge(c.layer),
        h('code', { class: 'where' }, `${c.file}:${c.line}:${c.column}`),
      ]),
    );
  const fragmentTable = (fragments) =>
    table(
      'Where each part of the condition comes from',
      ['Fragment', 'Layer', 'Where'],
      fragments.map((f) => [h('code', {}, f.text.trim()), layerBadge(f.layer), h('code', { class: 'where' }, loc(f.file, f.line))]),
    );
  const findingsFor = (env, type, name) => env.findings.filter((f) => f.itemType === type && f.itemName === name);
  const findingTable = (env, findings, withItem) =>
    findings.length === 0
      ? h('p', { class: 'muted' }, 'No findings.')
      : table(
          'Findings',
          ['Severity', 'Check', ...(withItem ? ['Item'] : []), 'Message', 'Where'],
          findings.map((f) => [
            h('span', { class: f.severity === 'error' ? 'bad' : f.severity === 'warning' ? 'warn' : '' }, f.severity),
            `${f.origin === 'shadow' ? 'shadowed default: ' : ''}${f.check}`,
            ...(withItem ? [itemLink(env, f.itemType, f.itemName)] : []),
            f.message,
            h('code', {}, loc(f.file, f.line)),
          ]),
        );
  const itemLink = (env, type, name) => {
    const exists =
      type === 'rule'
        ? env.rules.some((r) => r.name === name)
        : type === 'macro'
          ? env.macros.some((m) => m.name === name)
          : env.lists.some((l) => l.name === name);
    return exists ? link(env.name, type, name, `${type} ${name}`) : `${type} ${name}`;
  };
  const nameList = (env, kind, names) =>
    names.length === 0
      ? h('p', { class: 'muted' }, 'None.')
      : h(
          'ul',
          {},
          names.map((n) => h('li', {}, link(env.name, kind, n))),
        );

  function missing(env, kind, name) {
    const elsewhere = DATA.environments.filter((e) => e[`${kind}s`].some((i) => i.name === name));
    return [
      h('h1', {}, `${kind} ${name}`),
      h('p', {}, `Not loaded in environment ${env.name}.`),
      elsewhere.length > 0
        ? h(
            'p',
            {},
            'Loaded in: ',
            elsewhere.map((e) => [link(e.name, kind, name, e.name), ' ']),
          )
        : null,
    ];
  }

  // The field names compareRules reports, and where each lives in the data.
  const COMPARED = {
    enabled: 'enabled',
    priority: 'priority',
    condition: 'compiledCondition',
    'event types': 'eventTypes',
    output: 'output',
    description: 'description',
    tags: 'tags',
    source: 'source',
  };
  const shown = (v) => (v === null ? 'every event type' : Array.isArray(v) ? v.join(', ') : String(v));
  function difference(here, there, d) {
    return table(
      `Fields that differ in ${d.environment}`,
      ['Field', 'Here', d.environment],
      d.fields.map((f) => [f, h('code', {}, shown(here[COMPARED[f]])), h('code', {}, shown(there[COMPARED[f]]))]),
    );
  }

  function rulePage(env, name) {
    const r = env.rules.find((x) => x.name === name);
    if (!r) return missing(env, 'rule', name);
    const tagLinks = h(
      'span',
      { class: 'tags' },
      r.tags.length === 0 ? 'none' : r.tags.map((t) => h('a', { href: routeTo(env.name, '', undefined, `tag=${enc(t)}`) }, t)),
    );
    const exceptions =
      r.exceptions.length === 0
        ? 'none'
        : table(
            'Exceptions',
            ['Name', 'Fields', 'Comparisons', 'Values'],
            r.exceptions.map((x) => [x.name, JSON.stringify(x.fields ?? null), JSON.stringify(x.comps ?? null), JSON.stringify(x.values ?? [])]),
          );
    const tests =
      r.tests.length === 0
        ? h('p', { class: 'muted' }, 'No rule test names this rule.')
        : table(
            'Rule tests that name this rule',
            ['Test', 'Expects', 'Result', 'Where'],
            r.tests.map((t) => [
              t.name,
              t.expected,
              h('span', { class: t.passed ? 'ok' : 'bad' }, t.passed ? 'passed' : ['failed', ...t.detail.map((d) => h('div', {}, d))]),
              h('code', {}, loc(t.file, t.line)),
            ]),
          );
    const differs =
      r.differs.length === 0
        ? h('p', { class: 'muted' }, 'No other environment.')
        : table(
            'The same rule in other environments',
            ['Environment', 'Compared with this one'],
            r.differs.map((d) => [
              d.fields[0] === 'absent' ? d.environment : link(d.environment, 'rule', r.name, d.environment),
              d.fields.length === 0
                ? 'same'
                : d.fields[0] === 'absent'
                  ? 'not loaded there'
                  : difference(
                      r,
                      environment(d.environment).rules.find((o) => o.name === r.name),
                      d,
                    ),
            ]),
          );
    return [
      h('h1', {}, r.name),
      h(
        'p',
        {},
        layerBadge(r.layer),
        r.changedByUs ? h('span', { class: 'badge layer-overlay' }, 'changed by us') : null,
        h('span', { class: r.enabled ? 'badge ok' : 'badge muted' }, r.enabled ? 'enabled' : 'disabled'),
        ` in ${env.name}`,
      ),
      h('h2', {}, 'Effective rule'),
      fields([
        ['desc', r.description],
        ['condition', h('pre', {}, r.condition.trim())],
        ['output', h('code', {}, r.output)],
        ['priority', r.priority],
        ['source', r.source],
        ['enabled', String(r.enabled)],
        ['tags', tagLinks],
        ['exceptions', exceptions],
        ['capture', String(r.capture)],
        ['capture_duration', String(r.captureDuration)],
        ['warn_evttypes', String(r.warnEvttypes)],
        ['skip-if-unknown-filter', String(r.skipIfUnknownFilter)],
      ]),
      h('h2', {}, 'Compiled condition'),
      h('p', { class: 'muted' }, 'Macros and lists expanded, exceptions applied.'),
      h('pre', { id: 'compiled' }, r.compiledCondition),
      h('h2', {}, 'Event types'),
      h('p', {}, r.eventTypes === null ? 'every event type' : r.eventTypes.map((t, i) => [i > 0 ? ', ' : '', h('code', {}, t)])),
      h('h2', {}, 'Macros and lists it uses'),
      h(
        'div',
        { class: 'breakdowns' },
        h('section', {}, h('h3', {}, 'Macros'), nameList(env, 'macro', r.macros)),
        h('section', {}, h('h3', {}, 'Lists'), nameList(env, 'list', r.lists)),
      ),
      h('h2', { id: 'provenance' }, 'Provenance'),
      historyTable(r.history),
      fragmentTable(r.fragments),
      h('h2', {}, 'Rule tests'),
      tests,
      h('h2', {}, 'Findings'),
      findingTable(env, findingsFor(env, 'rule', r.name), false),
      h('h2', {}, 'Other environments'),
      differs,
    ];
  }

  function macroPage(env, name) {
    const m = env.macros.find((x) => x.name === name);
    if (!m) return missing(env, 'macro', name);
    return [
      h('h1', {}, `macro ${m.name}`),
      h('p', {}, layerBadge(m.layer), m.changedByUs ? h('span', { class: 'badge layer-overlay' }, 'changed by us') : null),
      h('h2', {}, 'Condition'),
      h('pre', {}, m.condition.trim()),
      h('h2', {}, 'Compiled condition'),
      h('pre', {}, m.compiledCondition === null ? '(does not resolve)' : m.compiledCondition),
      h('h2', { id: 'provenance' }, 'Where it is defined, overridden and appended'),
      historyTable(m.history),
      fragmentTable(m.fragments),
      h('h2', {}, 'Rules that use it'),
      nameList(env, 'rule', m.usedBy),
      h('h2', {}, 'Findings'),
      findingTable(env, findingsFor(env, 'macro', m.name), false),
    ];
  }

  function listPage(env, name) {
    const l = env.lists.find((x) => x.name === name);
    if (!l) return missing(env, 'list', name);
    return [
      h('h1', {}, `list ${l.name}`),
      h('p', {}, layerBadge(l.layer), l.changedByUs ? h('span', { class: 'badge layer-overlay' }, 'changed by us') : null),
      h('h2', {}, `Items (${l.items.length})`),
      l.items.length === 0
        ? h('p', { class: 'muted' }, 'Empty.')
        : h(
            'ul',
            {},
            l.items.map((i) => h('li', {}, h('code', {}, i))),
          ),
      h('h2', { id: 'provenance' }, 'Where it is defined, overridden and appended'),
      historyTable(l.history),
      h('h2', {}, 'Rules that use it'),
      nameList(env, 'rule', l.usedBy),
      h('h2', {}, 'Findings'),
      findingTable(env, findingsFor(env, 'list', l.name), false),
    ];
  }

  function itemIndex(env, kind) {
    const items = env[`${kind}s`];
    return [
      h('h1', {}, `${kind === 'macro' ? 'Macros' : 'Lists'} in ${env.name}`),
      table(
        `${items.length} ${kind}s`,
        ['Name', 'Layer', 'Changes', 'Used by rules'],
        items.map((i) => [
          link(env.name, kind, i.name),
          [layerBadge(i.layer), i.changedByUs && i.layer === 'upstream' ? h('span', { class: 'badge layer-overlay' }, 'changed by us') : null],
          String(i.history.length),
          String(i.usedBy.length),
        ]),
        { numeric: [2, 3] },
      ),
    ];
  }

  function findingsPage(env) {
    return [
      h('h1', {}, `Findings in ${env.name}`),
      h('p', {}, 'Lint findings and shadowed defaults, linked to the items they concern.'),
      findingTable(env, env.findings, true),
    ];
  }

  // ---- routing --------------------------------------------------------------------------------

  function render(navigated) {
    const route = parseRoute();
    const env = environment(route.env);
    if (!env) {
      main.replaceChildren(h('h1', {}, 'No environment'), h('p', {}, 'The site was generated without environments.'));
      return;
    }
    envSelect.value = env.name;
    const pages = {
      '': () => overview(env, route.params),
      rule: () => rulePage(env, route.name),
      macro: () => macroPage(env, route.name),
      list: () => listPage(env, route.name),
      macros: () => itemIndex(env, 'macro'),
      lists: () => itemIndex(env, 'list'),
      findings: () => findingsPage(env),
    };
    const page = (pages[route.kind] || pages[''])();
    main.replaceChildren();
    append(main, [page]);
    performance.mark('falco-gitops:rendered');
    const heading = main.querySelector('h1');
    document.title = `${heading ? heading.textContent : 'Rules'} · Falco rules explorer`;
    for (const [id, kind] of [
      ['nav-overview', ''],
      ['nav-macros', 'macros'],
      ['nav-lists', 'lists'],
      ['nav-findings', 'findings'],
    ]) {
      const a = document.getElementById(id);
      a.setAttribute('href', routeTo(env.name, kind));
      if (route.kind === kind) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    // Filtering rewrites the hash in place; only a navigation moves focus and scroll, so the first Tab reaches the skip link.
    if (navigated === true && (!FILTERS.some((f) => route.params.has(f)) || route.kind !== '')) {
      window.scrollTo(0, 0);
      main.focus({ preventScroll: true });
    }
  }

  function switchEnvironment() {
    const route = parseRoute();
    location.hash = routeTo(envSelect.value, route.kind, route.kind === '' || route.kind.endsWith('s') ? undefined : route.name, route.params.toString());
  }

  for (const e of DATA.environments) envSelect.appendChild(h('option', { value: e.name }, e.name));
  envSelect.addEventListener('change', switchEnvironment);
  // The skip link's #main would read as a route: move focus without touching the address.
  document.querySelector('.skip').addEventListener('click', (e) => {
    e.preventDefault();
    main.focus();
  });
  document.getElementById('generator').textContent = `Generated by ${DATA.generator}.`;
  window.addEventListener('hashchange', () => render(true));
  render(false);
})();

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCatalog, defaultCatalog, knownSources, lookupField, parseCondition } from '../../src/condition/index.js';
import { conditionFields } from '../../src/condition/validate-filter.js';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT, missingData, missingUpstream, readUpstream, upstreamManifest } from '../helpers/shared.js';
// @ts-expect-error the generator is plain JavaScript
import { generateCatalog } from '../../scripts/generate-catalog.mjs';

const ok = (source: string, name: string, arg?: string) => lookupField(defaultCatalog, source, name, arg);

// the generator reads Falco's field and event tables (SHARED_DATA in test/helpers/shared.ts); without them it skips with one line
describe.skipIf(missingData())('generated catalog modules', () => {
  it('equal a fresh generation (run `npm run generate`, never edit them by hand)', () => {
    const fresh = generateCatalog() as Record<string, string>;
    for (const [name, text] of Object.entries(fresh)) {
      expect(readFileSync(join(REPO_ROOT, 'src/condition/catalog/generated', name), 'utf8')).toBe(text);
    }
  });
});

describe('catalog contents', () => {
  it('knows every source of falco-fields.json with its field count', () => {
    expect(knownSources(defaultCatalog)).toEqual([
      'syscall',
      'k8s_audit',
      'aws_cloudtrail',
      'okta',
      'github',
      'gcp_auditlog',
      'collector',
      'kafka',
      'dummy',
      'dummy_c',
      'dummy_rs',
    ]);
    const count = (c: typeof defaultCatalog, s: string) => (c.sources.get(s) ?? []).reduce((n, k) => n + k.fields.length, 0);
    expect(count(defaultCatalog, 'syscall')).toBe(294);
    expect(count(createCatalog({ plugins: [] }), 'syscall')).toBe(233);
    expect(count(createCatalog({ plugins: ['container', 'json'] }), 'syscall')).toBe(300);
    expect(count(defaultCatalog, 'k8s_audit')).toBe(118);
  });
});

describe('lookupField', () => {
  it('resolves plain, bracket and dot-argument fields', () => {
    expect(ok('syscall', 'proc.name')).toMatchObject({ ok: true, field: { name: 'proc.name', type: 'CHARBUF' } });
    expect(ok('syscall', 'proc.aname', '2')).toMatchObject({ ok: true, field: { name: 'proc.aname' } });
    expect(ok('syscall', 'evt.arg.flags')).toMatchObject({ ok: true, field: { name: 'evt.arg' } });
    expect(ok('syscall', 'evt.arg', '1')).toMatchObject({ ok: true, field: { name: 'evt.arg' } });
    expect(ok('syscall', 'evt.type.is.open')).toMatchObject({ ok: true, field: { name: 'evt.type.is' } });
    expect(ok('syscall', 'thread.cgroup.cpu')).toMatchObject({ ok: true, field: { name: 'thread.cgroup' } });
    expect(ok('syscall', 'evt.abspath.dst')).toMatchObject({ ok: true, field: { name: 'evt.abspath' } });
    expect(ok('syscall', 'evt.rawarg.res')).toMatchObject({ ok: true, field: { name: 'evt.rawarg', type: 'ERRNO' } });
    expect(ok('syscall', 'container.mount.dest', '/lib/modules')).toMatchObject({ ok: true });
    expect(ok('k8s_audit', 'ka.req.pod.containers.image', '0')).toMatchObject({ ok: true });
  });

  it('rejects what libs rejects, in its words', () => {
    expect(ok('syscall', 'proc.namex')).toEqual({ ok: false, message: 'filter_check called with nonexistent field proc.namex' });
    expect(ok('syscall', 'evt.arg.nosuchparam')).toEqual({ ok: false, message: 'filter_check called with nonexistent field evt.arg.nosuchparam' });
    expect(ok('syscall', 'evt.type.is.nosuch')).toEqual({ ok: false, message: 'filter_check called with nonexistent field evt.type.is.nosuch' });
    expect(ok('syscall', 'proc.name', '1')).toEqual({ ok: false, message: 'filter_check called with nonexistent field proc.name[1]' });
    expect(ok('syscall', 'container.label.foo')).toEqual({ ok: false, message: 'filter_check called with nonexistent field container.label.foo' });
    expect(ok('syscall', 'container.label')).toEqual({
      ok: false,
      message: "filter 'container.label': container.label requires an argument but none provided",
    });
    expect(ok('syscall', 'container.id', 'x')).toEqual({
      ok: false,
      message: "filter 'container.id[x]': container.id does not allow nor require an argument but one is provided: x",
    });
    expect(ok('syscall', 'proc.aname', 'x')).toEqual({
      ok: false,
      message: 'filter proc.aname[x] proc.aname has an invalid index argument not composed only by digits: x',
    });
    expect(ok('k8s_audit', 'evt.type')).toEqual({ ok: false, message: 'filter_check called with nonexistent field evt.type' });
    expect(ok('k8s_audit', 'evt.time')).toMatchObject({ ok: true });
    expect(lookupField(createCatalog({ plugins: [] }), 'syscall', 'container.id').ok).toBe(false);
  });
});

describe.skipIf(missingUpstream())('every field used in an upstream rule condition resolves', () => {
  const manifest = upstreamManifest();
  it(`across ${manifest.length} upstream rulesets`, () => {
    const unresolved = new Set<string>();
    let fields = 0;
    for (const entry of manifest) {
      const doc = parseYaml(readUpstream(entry.file).text) as unknown;
      if (!Array.isArray(doc)) continue;
      for (const item of doc as Record<string, unknown>[]) {
        const cond = typeof item?.condition === 'string' ? item.condition : undefined;
        if (cond === undefined) continue;
        const parsed = parseCondition(cond);
        if (!parsed.ok) continue;
        const source = typeof item.source === 'string' ? item.source : 'syscall';
        for (const ref of conditionFields(parsed.expr)) {
          fields++;
          if (!lookupField(defaultCatalog, source, ref.name, ref.arg).ok) unresolved.add(`${source}:${ref.name}`);
        }
      }
    }
    expect(fields).toBeGreaterThan(10000);
    expect([...unresolved]).toEqual([]);
  });
});

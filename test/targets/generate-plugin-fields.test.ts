import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCatalog } from '../../src/condition/index.js';
import { PLUGIN_FIELDS, PLUGIN_FIELD_RANGES, PLUGIN_VERSIONS } from '../../src/targets/generated/plugin-fields.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { regenerate } from '../helpers/regenerate.js';

const PLUGINS = process.env.PLUGINS_MIRROR ?? resolve(REPO_ROOT, '../.mirror/falcosecurity+plugins/repo');
const present = existsSync(PLUGINS);

describe('scripts/generate-plugin-fields.mjs', () => {
  it.skipIf(!present)(
    present
      ? 'regenerates the committed per-plugin-release field tables from the plugins mirror'
      : 'SKIPPED: no falcosecurity/plugins git mirror (set PLUGINS_MIRROR to regenerate and compare)',
    () => {
      const { fresh, committed } = regenerate('scripts/generate-plugin-fields.mjs', [PLUGINS], 'src/targets/generated/plugin-fields.ts');
      expect(fresh).toBe(committed);
    },
    300_000,
  );

  it("each plugin's newest release extracts exactly the fields of the field catalog (two sources, one answer)", () => {
    const catalog = createCatalog({ plugins: [...Object.keys(PLUGIN_VERSIONS)] });
    for (const [plugin, releases] of Object.entries(PLUGIN_VERSIONS)) {
      const newest = releases.length - 1;
      const ranges = PLUGIN_FIELD_RANGES[plugin] ?? {};
      const inNewest = PLUGIN_FIELDS[plugin]!.filter((f) => {
        const r = ranges[f];
        return r === undefined || (r.length === 2 && r[0]! <= r[1]! ? newest >= r[0]! && newest <= r[1]! : r.includes(newest));
      });
      const fromCatalog = [...catalog.sources.values()]
        .flat()
        .filter((cls) => cls.origin === `plugin:${plugin}`)
        .flatMap((cls) => cls.fields.map((f) => f.name));
      expect([plugin, [...new Set(fromCatalog)].sort()]).toEqual([plugin, inNewest]);
    }
  });
});

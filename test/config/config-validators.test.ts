import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createConfigValidator, DEFAULTS_SCHEMA_FILE, ENVIRONMENT_SCHEMA_FILE } from '../../src/config/index.js';
import { REPO_ROOT } from '../helpers/shared.js';
// @ts-expect-error the generator is plain JavaScript
import { generateConfigValidators } from '../../scripts/generate-config-validators.mjs';

describe('generated config validators', () => {
  it('equal a fresh generation from schemas/ (run `npm run generate:schemas`, never edit them by hand)', () => {
    const fresh = generateConfigValidators() as Record<string, string>;
    expect(Object.keys(fresh)).toEqual(['config-validators.ts']);
    for (const [name, text] of Object.entries(fresh)) {
      expect(readFileSync(join(REPO_ROOT, 'src/config/generated', name), 'utf8')).toBe(text);
    }
  });

  it("load no schema compiler: only ajv's small runtime helpers", () => {
    const text = readFileSync(join(REPO_ROOT, 'src/config/generated/config-validators.ts'), 'utf8');
    const loaded = [...text.matchAll(/require\("([^"]+)"\)|^import .* from '([^']+)';$/gm)].map((m) => m[1] ?? m[2]);
    expect([...new Set(loaded)].sort()).toEqual(['ajv', 'ajv/dist/runtime/equal', 'ajv/dist/runtime/ucs2length', 'node:module']);
  });

  it('check both schemas with every error reported (allErrors), each with its position', () => {
    const validator = createConfigValidator();
    const env = validator.check('environments/a/environment.yaml', 'version: one\nlayers: []\npolicy:\n  lint:\n    failOn: [x, x]\n', ENVIRONMENT_SCHEMA_FILE);
    expect(env.value).toBeUndefined();
    expect(env.diagnostics.map((d) => [d.message, d.location.line, d.location.column])).toEqual([
      ['\'version\' has an invalid value "one": expected a semver version such as 1.2.0', 1, 10],
      ["'layers' must NOT have fewer than 1 items", 2, 9],
      ["'policy.lint.failOn' names 'x' twice", 5, 17],
    ]);
    const defaults = validator.check('falco-gitops.yaml', 'defaults:\n  registry: ""\n  policy:\n    lint:\n      costBudget: 0\n', DEFAULTS_SCHEMA_FILE);
    expect(defaults.diagnostics.map((d) => [d.message, d.location.line, d.location.column])).toEqual([
      ["'defaults.registry' must NOT have fewer than 1 characters", 2, 13],
      ["'defaults.policy.lint.costBudget' must be > 0", 5, 19],
    ]);
    expect(validator.check('falco-gitops.yaml', 'defaults:\n  registry: ghcr.io/acme\n', DEFAULTS_SCHEMA_FILE).value).toEqual({
      defaults: { registry: 'ghcr.io/acme' },
    });
  });
});

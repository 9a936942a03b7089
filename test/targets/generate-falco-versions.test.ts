import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shared.js';
import { regenerate } from '../helpers/regenerate.js';

const FALCO = process.env.FALCO_MIRROR ?? resolve(REPO_ROOT, '../.mirror/falcosecurity+falco/repo');
const LIBS = process.env.LIBS_MIRROR ?? resolve(REPO_ROOT, '../.mirror/falcosecurity+libs/repo');
const present = existsSync(FALCO) && existsSync(LIBS);

describe('scripts/generate-falco-versions.mjs', () => {
  it.skipIf(!present)(
    present
      ? 'regenerates the committed per-version tables from the falco and libs mirrors'
      : 'SKIPPED: no falco/libs git mirrors (set FALCO_MIRROR and LIBS_MIRROR to regenerate and compare)',
    () => {
      const { fresh, committed } = regenerate('scripts/generate-falco-versions.mjs', [FALCO, LIBS], 'src/targets/generated/falco-versions.ts');
      expect(fresh).toBe(committed);
    },
    120_000,
  );
});

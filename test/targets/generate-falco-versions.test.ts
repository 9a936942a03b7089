import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shared.js';

const FALCO = process.env.FALCO_MIRROR ?? resolve(REPO_ROOT, '../.mirror/falcosecurity+falco/repo');
const LIBS = process.env.LIBS_MIRROR ?? resolve(REPO_ROOT, '../.mirror/falcosecurity+libs/repo');
const present = existsSync(FALCO) && existsSync(LIBS);
const COMMITTED = join(REPO_ROOT, 'src/targets/generated/falco-versions.ts');

describe('scripts/generate-falco-versions.mjs', () => {
  it.skipIf(!present)(
    present
      ? 'regenerates the committed per-version tables from the falco and libs mirrors'
      : 'SKIPPED: no falco/libs git mirrors (set FALCO_MIRROR and LIBS_MIRROR to regenerate and compare)',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'falco-versions-'));
      try {
        const out = join(dir, 'falco-versions.ts');
        execFileSync(process.execPath, [join(REPO_ROOT, 'scripts/generate-falco-versions.mjs'), FALCO, LIBS, out], { stdio: 'pipe' });
        expect(readFileSync(out, 'utf8')).toBe(readFileSync(COMMITTED, 'utf8'));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * This package's name, version and GitHub repository (owner/name), read once from its package.json,
 * so --version, reports and init agree.
 */
export const TOOL: { readonly name: string; readonly version: string; readonly repository?: string } = readPackage();

/** The User-Agent of every registry and upstream request. */
export const USER_AGENT = `${TOOL.name}/${TOOL.version}`;

function readPackage(): { name: string; version: string; repository?: string } {
  // Walk up from this module: src/cli/ in tests, dist/src/cli/ when built or installed.
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const path = join(dir, 'package.json');
    if (existsSync(path)) {
      const pkg = JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown; version?: unknown; repository?: { url?: unknown } };
      const repository = typeof pkg.repository?.url === 'string' ? /github\.com[/:]([\w.-]+\/[\w.-]+?)(?:\.git)?$/.exec(pkg.repository.url)?.[1] : undefined;
      if (pkg.name === 'falco-gitops' && typeof pkg.version === 'string')
        return { name: pkg.name, version: pkg.version, ...(repository ? { repository } : {}) };
    }
    if (dirname(dir) === dir) throw new Error('the falco-gitops package.json was not found above its modules');
  }
}

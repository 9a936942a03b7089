/**
 * The site's files: the static page, style and script (real files in src/site/assets) and the
 * model as a script assigning one global, because browsers refuse fetch() of file:// URLs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SiteModel } from './model.js';

export const SITE_ASSETS = ['index.html', 'site.css', 'site.js'] as const;
export const SITE_DATA_FILE = 'data.js';
export const SITE_GLOBAL = 'FALCO_GITOPS_SITE';

/** src/site/assets, found from the source tree or from the built dist/src/site beside it. */
export function siteAssetsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'src', 'site', 'assets');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('src/site/assets not found above the falco-gitops package modules');
    dir = parent;
  }
}

/**
 * The model as JavaScript. JSON is valid JavaScript once U+2028/U+2029 are escaped; `<` is escaped
 * too so no text in it can ever close a script element or open a comment, wherever it is inlined.
 */
export function renderSiteData(model: SiteModel): string {
  const json = JSON.stringify(model).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return `window.${SITE_GLOBAL} = ${json};\n`;
}

/** Relative path -> content of every file of the site. */
export function renderSite(model: SiteModel, assetsDir: string = siteAssetsDir()): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of SITE_ASSETS) files.set(name, readFileSync(join(assetsDir, name), 'utf8'));
  files.set(SITE_DATA_FILE, renderSiteData(model));
  return files;
}

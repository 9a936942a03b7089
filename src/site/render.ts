/**
 * The site's files: the static page, style and script (real files in src/site/assets, read by the
 * command) and the model as a script assigning one global, because browsers refuse fetch() of
 * file:// URLs.
 */
import type { SiteModel } from './model.js';

/** The static files, as named in src/site/assets and in the written site. */
export const SITE_ASSETS = ['index.html', 'site.css', 'site.js'] as const;
const SITE_DATA_FILE = 'data.js';
const SITE_GLOBAL = 'FALCO_GITOPS_SITE';

/**
 * The model as JavaScript. JSON is valid JavaScript once U+2028/U+2029 are escaped; `<` is escaped
 * too so no text in it can ever close a script element or open a comment, wherever it is inlined.
 */
function renderSiteData(model: SiteModel): string {
  const json = JSON.stringify(model)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `window.${SITE_GLOBAL} = ${json};\n`;
}

/** Relative path -> content of every file of the site, given the text of each static asset. */
export function renderSite(model: SiteModel, asset: (name: (typeof SITE_ASSETS)[number]) => string): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of SITE_ASSETS) files.set(name, asset(name));
  files.set(SITE_DATA_FILE, renderSiteData(model));
  return files;
}

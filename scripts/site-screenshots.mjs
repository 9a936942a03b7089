// Regenerates docs/images/site-overview.png and site-rule.png from the example repository:
//   npm run build && node dist/src/cli/main.js build && node dist/src/cli/main.js site && node scripts/site-screenshots.mjs
import { mkdirSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../dist/bench/chromium.js';

const index = pathToFileURL(resolve('out/site/index.html')).href;
const profile = mkdtempSync(join(tmpdir(), 'falco-gitops-shots-'));
const context = await launchChromium(profile, { width: 1280, height: 1000 });
try {
  const page = await context.newPage();
  mkdirSync('docs/images', { recursive: true });
  await page.goto(`${index}#/production`);
  await page.waitForSelector('#rule-rows tr');
  await page.screenshot({ path: 'docs/images/site-overview.png', fullPage: true });
  await page.goto(`${index}#/production/rule/${encodeURIComponent('Terminal shell in container')}`);
  await page.waitForSelector('#provenance');
  await page.screenshot({ path: 'docs/images/site-rule.png', fullPage: true });
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}

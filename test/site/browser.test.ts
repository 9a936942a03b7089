/**
 * The rules explorer in a real browser: the system Chromium driven by playwright-core, the site
 * opened from file://. Skipped, with one line saying why, where no Chromium is installed.
 */
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureIO, ENV_YAML, removeTempRepo, writeTempRepo } from '../environment/temp-repo.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { CHROMIUM, launchChromium } from '../../bench/chromium.js';

const AXE = join(REPO_ROOT, 'node_modules/axe-core/axe.min.js');
const available = existsSync(CHROMIUM);

const temps: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};

async function generateSite(cwd: string): Promise<string> {
  const out = tempDir('falco-gitops-site-');
  const io = captureIO(cwd);
  expect(await runCli(['site', '--out', out, '--build-dir', join(out, 'no-build')], io), io.err()).toBe(0);
  return pathToFileURL(join(out, 'index.html')).href;
}

/** axe-core's serious and critical violations on the page as it is now. */
async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the site's Content-Security-Policy refuses inline scripts.
  await page.evaluate(readFileSync(AXE, 'utf8'));
  const result = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (ctx: Document) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }
    ).axe;
    return axe.run(document);
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe.skipIf(!available)(`site in Chromium${available ? '' : ` (skipped: no Chromium at ${CHROMIUM})`}`, () => {
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    context = await launchChromium(tempDir('falco-gitops-chromium-'));
    page = await context.newPage();
    errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    temps.forEach(removeTempRepo);
  });

  it('the example repository: search, open a rule, follow a macro to the overlay that replaced it, switch environment', async () => {
    const shots = tempDir('falco-gitops-screenshots-');
    await page.goto(await generateSite(REPO_ROOT));
    await expect.poll(() => page.locator('h1').textContent()).toBe('Environment production');
    expect(await page.locator('#rule-count').textContent()).toBe('10 of 10 rules');
    await page.screenshot({ path: join(shots, 'overview.png'), fullPage: true });

    await page.getByLabel('Search').fill('below etc');
    await expect.poll(() => page.locator('#rule-count').textContent()).toBe('1 of 10 rules');
    await page.getByRole('link', { name: 'Write below etc' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Write below etc');

    await page.getByRole('link', { name: 'user_known_write_below_etc_activities' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('macro user_known_write_below_etc_activities');
    const rows = await page.locator('table:has(caption:text("Every change in load order")) tbody tr').allInnerTexts();
    expect(
      rows
        .at(-1)!
        .split('\t')
        .map((c) => c.trim()),
    ).toEqual(['condition', 'replace', 'overlay', 'environments/production/overlays/tuning.yaml:4:3']);
    await page.screenshot({ path: join(shots, 'macro.png'), fullPage: true });

    await page.getByLabel('Environment').selectOption('staging');
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/staging/macro/user_known_write_below_etc_activities');
    const staging = await page.locator('table:has(caption:text("Every change in load order")) tbody').innerText();
    expect(staging).not.toContain('environments/production/');
    await page.screenshot({ path: join(shots, 'staging.png'), fullPage: true });

    for (const name of ['overview.png', 'macro.png', 'staging.png']) expect(statSync(join(shots, name)).size).toBeGreaterThan(10_000);
    expect(errors).toEqual([]);
  }, 60_000);

  it('filters by name, tag, priority, state and "changed by us" without a server, and keeps them in the address', async () => {
    const rule = (name: string, priority: string, tags: string) =>
      `- rule: ${name}\n  desc: d\n  condition: evt.type = open and proc.name = x\n  output: o\n  priority: ${priority}\n  tags: [${tags}]\n`;
    const root = writeTempRepo({
      'falco-gitops.yaml': 'defaults:\n  registry: ghcr.io/acme\n',
      'environments/dev/environment.yaml': ENV_YAML(['rules/upstream/*.yaml', 'rules/*.yaml']),
      'rules/upstream/up.yaml': rule('Upstream kept', 'NOTICE', 'mitre_execution, T1059') + rule('Upstream tuned', 'WARNING', 'mitre_persistence'),
      'rules/org.yaml': `${rule('Our own', 'CRITICAL', 'mitre_execution')}- rule: Upstream tuned\n  enabled: false\n  override:\n    enabled: replace\n`,
    });
    temps.push(root);
    await page.goto(await generateSite(root));
    const count = () => page.locator('#rule-count').textContent();
    const shown = () => page.locator('#rule-rows a').allTextContents();
    await expect.poll(count).toBe('3 of 3 rules');
    await page.getByLabel('changed by us').check();
    expect(await shown()).toEqual(['Upstream tuned', 'Our own']);
    await page.getByLabel('State').selectOption('no');
    expect(await shown()).toEqual(['Upstream tuned']);
    await page.getByLabel('State').selectOption('');
    await page.getByLabel('changed by us').uncheck();
    await page.getByLabel('Tag').selectOption('mitre_execution');
    expect(await shown()).toEqual(['Upstream kept', 'Our own']);
    await page.getByLabel('Priority').selectOption('Critical');
    expect(await shown()).toEqual(['Our own']);
    expect(await page.evaluate(() => location.hash)).toBe('#/dev?tag=mitre_execution&priority=Critical');
    await page.reload();
    await expect.poll(count).toBe('1 of 3 rules');
    await page.getByLabel('Priority').selectOption('');
    await page.getByLabel('Tag').selectOption('');
    await page.getByLabel('Search').fill('UPSTREAM');
    expect(await shown()).toEqual(['Upstream kept', 'Upstream tuned']);
  }, 60_000);

  it('works from the keyboard: skip link to the content, links followed with Enter', async () => {
    await page.goto(await generateSite(REPO_ROOT));
    await expect.poll(() => page.locator('h1').textContent()).toBe('Environment production');
    await page.getByRole('link', { name: 'Terminal shell in container' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Terminal shell in container');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    const priority = await page.locator('caption:text-is("Fields that differ in staging") + thead + tbody tr').first().allInnerTexts();
    expect(priority[0]!.split('\t').map((c) => c.trim())).toEqual(['priority', 'Warning', 'Notice']);
    await page.reload();
    await page.waitForSelector('main h1');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    expect(await page.evaluate(() => location.hash)).toBe('#/production/rule/Terminal%20shell%20in%20container');
    expect(await page.locator('h1').textContent()).toBe('Terminal shell in container');
  }, 60_000);

  it('axe-core finds no serious or critical violation on the overview, a rule, a macro and the findings', async () => {
    const url = await generateSite(REPO_ROOT);
    for (const hash of [
      '',
      '#/production/rule/Terminal%20shell%20in%20container',
      '#/staging/macro/container',
      '#/production/findings',
      '#/production/lists',
    ]) {
      await page.goto(`${url}${hash}`);
      await page.waitForSelector('main h1');
      expect(await seriousViolations(page), hash || 'overview').toEqual([]);
    }
  }, 120_000);

  it('shows hostile rule text as text: no markup from it runs or renders', async () => {
    const name = '<img src=x onerror="window.pwned=1">';
    const root = writeTempRepo({
      'falco-gitops.yaml': 'defaults:\n  registry: ghcr.io/acme\n',
      'environments/dev/environment.yaml': ENV_YAML(['rules/*.yaml']),
      'rules/own.yaml': `- rule: '${name}'\n  desc: '<script>window.pwned=2</script>'\n  condition: evt.type = open and proc.name = "</script><b>x</b>"\n  output: o\n  priority: NOTICE\n  tags: ['"><img src=y onerror=window.pwned=3>']\n`,
    });
    temps.push(root);
    await page.goto(await generateSite(root));
    await page.getByRole('link', { name }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe(name);
    expect(await page.locator('main img, main script, main b').count()).toBe(0);
    expect(await page.locator('pre').first().textContent()).toBe('evt.type = open and proc.name = "</script><b>x</b>"');
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  }, 60_000);
});

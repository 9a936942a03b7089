/**
 * Site: the rules explorer of the latest upstream trio in two environments, generated in-process,
 * then opened from file:// in the system Chromium. The figure is the time from navigation start
 * to the overview rendered (the page's `falco-gitops:rendered` mark), median of several loads.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli } from '../src/cli/main.js';
import { LATEST_TRIO, readUpstreamFile } from './shared-inputs.js';
import type { BenchResult } from './types.js';
import { CHROMIUM, launchChromium } from './chromium.js';

const LOADS = 5;

export async function benchSite(): Promise<BenchResult[]> {
  const root = mkdtempSync(join(tmpdir(), 'falco-gitops-bench-site-'));
  try {
    const upstream = LATEST_TRIO.map((file, i) => {
      const path = `rules/upstream/${i}-${file.split('/')[0]}.yaml`;
      write(root, path, readUpstreamFile(file).text);
      return path;
    });
    const layers = (extra: string[]) => `version: 1.0.0\nlayers:\n${[...upstream, ...extra].map((p) => `  - ${p}\n`).join('')}`;
    write(root, 'falco-gitops.yaml', 'defaults:\n  registry: ghcr.io/acme\n');
    write(root, 'environments/staging/environment.yaml', layers([]));
    write(root, 'environments/production/environment.yaml', layers(['environments/production/overlay.yaml']));
    write(root, 'environments/production/overlay.yaml', '- list: shell_binaries\n  items: [busybox]\n  override:\n    items: append\n');
    const out = join(root, 'site');
    const started = performance.now();
    const stderr: string[] = [];
    const code = await runCli(['site', '--out', out], {
      cwd: root,
      env: {},
      stdout: () => {},
      stderr: (t) => stderr.push(t),
      readStdin: async () => '',
      isTTY: false,
    });
    const generateMs = performance.now() - started;
    if (code !== 0) throw new Error(`site of the trio failed (exit ${code}): ${stderr.join('')}`);
    const dataKb = statSync(join(out, 'data.js')).size / 1024;
    const results: BenchResult[] = [
      { name: 'site: generate the trio in 2 environments', value: generateMs, unit: 'ms', note: `data.js ${dataKb.toFixed(0)} KiB` },
    ];
    if (!existsSync(CHROMIUM))
      return [...results, { name: 'site: overview rendered in Chromium', value: 0, unit: 'ms', note: `skipped: no Chromium at ${CHROMIUM}` }];

    const context = await launchChromium(join(root, 'profile'));
    try {
      const page = await context.newPage();
      const url = pathToFileURL(join(out, 'index.html')).href;
      const times: number[] = [];
      for (let i = 0; i <= LOADS; i++) {
        await page.goto(`${url}#/production?load=${i}`);
        await page.waitForFunction(() => performance.getEntriesByName('falco-gitops:rendered').length > 0);
        const ms = await page.evaluate(() => performance.getEntriesByName('falco-gitops:rendered')[0].startTime);
        if (i > 0) times.push(ms);
      }
      times.sort((a, b) => a - b);
      const rows = await page.locator('#rule-rows tr').count();
      return [
        ...results,
        {
          name: 'site: overview rendered in Chromium (navigation start to render)',
          value: times[Math.floor(times.length / 2)],
          unit: 'ms',
          target: '< 1000 ms',
          note: `${rows} rules listed, median of ${LOADS} loads`,
        },
      ];
    } finally {
      await context.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { parseRuleTestFile, type Expectation, type RuleTestCase } from '../../src/evaluate/index.js';
import { sha256Hex } from '../../src/upstream/index.js';
import { captureIO, exampleRepoFiles, removeTempRepo, writeTempRepo } from '../environment/temp-repo.js';
import { REPO_ROOT } from '../helpers/shared.js';

// The classic tuning cases, carried by the example repository itself: each named test must pass in
// the named environment, and must say there what this table says (so a passing run proves the
// behaviour, not just that the test file agrees with itself).
type Outcome = 'fires' | 'does_not_fire';
type Case = [test: string, environment: 'production' | 'staging', rule: string, outcome: Outcome];

const READ = 'Read sensitive file untrusted';
const WRITE = 'Write below etc';
const PRIVILEGED = 'Launch privileged container';
const SHELL = 'Run shell untrusted';

const CASES: Record<string, Case[]> = {
  'a cloud agent reading a PAM file is excepted in production only; cat /etc/shadow fires everywhere': [
    ['the cloud guest agent reads the PAM configuration (excepted in production only)', 'production', READ, 'does_not_fire'],
    ['the cloud guest agent reads the PAM configuration (excepted in production only)', 'staging', READ, 'fires'],
    ['the cloud guest agent may read any file below /etc/pam.d', 'production', READ, 'does_not_fire'],
    ['the cloud guest agent reading the PAM configuration is caught in staging', 'staging', READ, 'fires'],
    ['the cloud guest agent reading /etc/shadow is caught in every environment', 'production', READ, 'fires'],
    ['the cloud guest agent reading /etc/sudoers.d is still caught', 'production', READ, 'fires'],
    ['another program reading the PAM configuration is caught in every environment', 'production', READ, 'fires'],
    ['cat /etc/shadow is caught in every environment', 'production', READ, 'fires'],
    ['cat /etc/shadow is caught in every environment', 'staging', READ, 'fires'],
    ['reading a file that holds no credentials', 'production', READ, 'does_not_fire'],
    ['reading a file that holds no credentials', 'staging', READ, 'does_not_fire'],
  ],
  'a program writes one file below /etc through the user_known_* macro; another file is still caught': [
    ['confd renders the nginx configuration', 'production', WRITE, 'does_not_fire'],
    ['confd renders the nginx configuration', 'staging', WRITE, 'does_not_fire'],
    ['confd writing another file below /etc is still caught', 'production', WRITE, 'fires'],
    ['confd writing another file below /etc is still caught', 'staging', WRITE, 'fires'],
    ['another program writing the nginx configuration is still caught', 'production', WRITE, 'fires'],
  ],
  'a trusted image may run privileged in production; other images and other environments are caught': [
    ['the CSI node plugin runs privileged (trusted in production only)', 'production', PRIVILEGED, 'does_not_fire'],
    ['the CSI node plugin runs privileged (trusted in production only)', 'staging', PRIVILEGED, 'fires'],
    ['the CSI node plugin running privileged is caught in staging', 'staging', PRIVILEGED, 'fires'],
    ["the CSI node plugin's image is trusted, not its name", 'production', PRIVILEGED, 'fires'],
    ['an untrusted image running privileged is caught in every environment', 'production', PRIVILEGED, 'fires'],
    ['an untrusted image running privileged is caught in every environment', 'staging', PRIVILEGED, 'fires'],
    ['the same untrusted image without privileges', 'production', PRIVILEGED, 'does_not_fire'],
    ['an image trusted upstream runs privileged', 'staging', PRIVILEGED, 'does_not_fire'],
  ],
  'php appended to the protected shell spawners in production': [
    ['php spawns a shell (php is a protected spawner in production only)', 'production', SHELL, 'fires'],
    ['php spawns a shell (php is a protected spawner in production only)', 'staging', SHELL, 'does_not_fire'],
    ['php spawning bash in a production container', 'production', SHELL, 'fires'],
    ['the PHPUnit suites may shell out in staging', 'staging', SHELL, 'does_not_fire'],
    ['nginx spawns a shell, caught in every environment', 'production', SHELL, 'fires'],
    ['nginx spawns a shell, caught in every environment', 'staging', SHELL, 'fires'],
    ['php starting a program that is not a shell', 'production', SHELL, 'does_not_fire'],
    ['a shell started from an interactive shell', 'production', SHELL, 'does_not_fire'],
  ],
};

interface JsonResult {
  name: string;
  environment: string;
  passed: boolean;
  failures: { rule: string; expected: string; actual: string }[];
}

const TEST_FILES = [
  'rules/tests/sensitive-files.yaml',
  'rules/tests/write-below-etc.yaml',
  'rules/tests/privileged-containers.yaml',
  'rules/tests/shell-spawners.yaml',
  'environments/production/tests/tuning.yaml',
  'environments/staging/tests/tuning.yaml',
];

function readCases(): RuleTestCase[] {
  return TEST_FILES.flatMap((file) => {
    const only = /^environments\/([^/]+)\//.exec(file)?.[1];
    const parsed = parseRuleTestFile(file, readFileSync(join(REPO_ROOT, file), 'utf8'), only);
    expect(parsed.diagnostics).toEqual([]);
    return parsed.cases;
  });
}

function expectationIn(c: RuleTestCase, environment: string): Expectation {
  return c.environments[environment] ?? c.expect;
}

async function runTests(cwd: string, args: string[] = []): Promise<{ code: number; results: JsonResult[] }> {
  const io = captureIO(cwd);
  const code = await runCli(['test', '--format', 'json', ...args], io);
  expect(io.err()).toBe('');
  return { code, results: (JSON.parse(io.out()) as { results: JsonResult[] }).results };
}

describe('the example repository carries the classic tuning cases', () => {
  let results: JsonResult[];
  let code: number;
  const cases = readCases();

  beforeAll(async () => {
    ({ code, results } = await runTests(REPO_ROOT));
  });

  it('every test of the example passes (exit 0)', () => {
    expect(results.filter((r) => !r.passed)).toEqual([]);
    expect(code).toBe(0);
  });

  for (const [title, table] of Object.entries(CASES)) {
    it(title, () => {
      for (const [test, environment, rule, outcome] of table) {
        const c = cases.find((x) => x.name === test);
        expect(c, test).toBeDefined();
        const e = expectationIn(c!, environment);
        expect(outcome === 'fires' ? e.fires : e.doesNotFire, `${test} [${environment}]`).toContain(rule);
        const run = results.filter((r) => r.name === test && r.environment === environment);
        expect(
          run.map((r) => r.passed),
          `${test} [${environment}]`,
        ).toEqual([true]);
      }
    });
  }

  it('environment-only tests run in their environment alone', () => {
    const where = (name: string) => results.filter((r) => r.name === name).map((r) => r.environment);
    expect(where('the cloud guest agent may read any file below /etc/pam.d')).toEqual(['production']);
    expect(where('the PHPUnit suites may shell out in staging')).toEqual(['staging']);
    expect(where('cat /etc/shadow is caught in every environment')).toEqual(['production', 'staging']);
  });

  it('the upstream lock records the sha256 of the demo ruleset as it is', () => {
    const lock = readFileSync(join(REPO_ROOT, 'rules/upstream/upstream.lock.yaml'), 'utf8');
    const demo = readFileSync(join(REPO_ROOT, 'rules/upstream/demo_rules.yaml'));
    expect(lock).toContain(`sha256: ${sha256Hex(demo)}`);
  });
});

describe('each production tuning is what makes its test pass', () => {
  const OVERLAY = 'environments/production/overlays/tuning.yaml';
  const temps: string[] = [];
  afterAll(() => temps.forEach(removeTempRepo));

  /** Runs production's tests with one item of the production overlay taken out. */
  async function withoutItem(header: string): Promise<JsonResult[]> {
    const files = exampleRepoFiles(REPO_ROOT);
    const text = files[OVERLAY]!;
    const start = text.indexOf(header);
    expect(start).toBeGreaterThan(0);
    const end = text.indexOf('\n\n', start);
    files[OVERLAY] = text.slice(0, start) + (end < 0 ? '' : text.slice(end + 2));
    const root = writeTempRepo(files);
    temps.push(root);
    const { code, results } = await runTests(root, ['--env', 'production']);
    expect(code).toBe(1);
    return results.filter((r) => !r.passed);
  }

  const failed = (results: JsonResult[]) => results.map((r) => [r.name, r.failures.map((f) => `${f.rule}: ${f.actual}`)]);

  it('without the guest agent exception, its PAM reads fire in production', async () => {
    expect(failed(await withoutItem('- macro: user_known_read_sensitive_files_activities'))).toEqual([
      ['the cloud guest agent reads the PAM configuration (excepted in production only)', [`${READ}: fires`]],
      ['the cloud guest agent may read any file below /etc/pam.d', [`${READ}: fires`]],
    ]);
  });

  it('without the trusted CSI image, it fires in production', async () => {
    expect(failed(await withoutItem('- list: trusted_privileged_images'))).toEqual([
      ['the CSI node plugin runs privileged (trusted in production only)', [`${PRIVILEGED}: fires`]],
    ]);
  });

  it('without php among the protected spawners, its shells go unseen in production', async () => {
    expect(failed(await withoutItem('- list: protected_shell_spawning_binaries'))).toEqual([
      ['php spawns a shell (php is a protected spawner in production only)', [`${SHELL}: does-not-fire`]],
      ['php spawning bash in a production container', [`${SHELL}: does-not-fire`]],
    ]);
  });
});

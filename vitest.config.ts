import { defineConfig } from 'vitest/config';

/**
 * Tests that need a registry, real git histories, the packed package or a sweep of every upstream
 * release: `npm test` runs them with the rest; `npm run test:unit` leaves them out.
 */
const SLOW = [
  // a real OCI registry (docker-registry) and skopeo
  'test/integration/**',
  'test/automation/release.test.ts',
  'test/upstream/upstream-oci.test.ts',
  'test/upstream/upstream-latest.test.ts',
  'test/security/pull-extraction.test.ts',
  'test/security/registry-bounded-reads.test.ts',
  'test/security/registry-credential-scope.test.ts',
  'test/security/registry-redirects.test.ts',
  'test/automation/versions.test.ts',
  'test/automation/review-details.test.ts',
  'test/automation/one-digest.test.ts',
  // real git repositories with histories
  'test/git/**',
  'test/upstream/upstream-git.test.ts',
  'test/environment/diff-environments.test.ts',
  'test/cli/ci.test.ts',
  'test/cli/parse-cache-commands.test.ts',
  'test/upstream/lock-enforcement.test.ts',
  'test/upstream/rebase-scenario.test.ts',
  'test/automation/ci-baseline.test.ts',
  'test/automation/readable-changes.test.ts',
  'test/automation/example-pr-comment.test.ts',
  'test/evaluate/cli-commands.test.ts',
  'test/fleet/identical-clusters.test.ts',
  // sweeps of every upstream release, golden outputs and generated corpora
  'test/falco/golden.test.ts',
  'test/condition/print.test.ts',
  'test/condition/fuzz.test.ts',
  'test/condition/catalog.test.ts',
  'test/rules/fuzz.test.ts',
  'test/rules/read-paths.test.ts',
  'test/rules/render-item-text-upstream.test.ts',
  'test/rules/merge.test.ts',
  'test/evaluate/replay-corpus.test.ts',
  'test/analysis/lint/upstream.test.ts',
  'test/analysis/shadow/scenarios.test.ts',
  // npm pack / install and a fresh clone
  'test/package/**',
  // fuzzing (tens of thousands of generated inputs), a real browser, regenerating tables from git mirrors
  'test/evaluate/reader-fuzz.test.ts',
  'test/site/browser.test.ts',
  'test/targets/generate-falco-versions.test.ts',
  'test/targets/generate-plugin-fields.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['test/setup/registry.ts', 'test/setup/fixtures.ts'],
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    projects: [
      // Unit files share one module graph per worker (no re-import of src/ for every file): they hold no
      // module state between files, and this is most of the unit run's time.
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: SLOW, isolate: false } },
      { extends: true, test: { name: 'slow', include: SLOW.map((p) => (p.endsWith('.ts') ? p : `${p}/*.test.ts`)) } },
    ],
  },
});

import type { Reporter, TestModule } from 'vitest/node';
import { REPO_ROOT, missingFixtures } from './shared.js';

/**
 * Prints one plain closing line, `tests: N passed, M failed[, K skipped]`, after vitest's own
 * report, so CI logs carry a runner-independent summary; when fixtures from outside the
 * repository are missing, one line names each and one names the files whose tests were skipped.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const skippedFiles = new Set<string>();
    for (const module of testModules) {
      if ([...module.children.allSuites()].some((suite) => suite.state() === 'skipped')) skippedFiles.add(module.moduleId.replace(`${REPO_ROOT}/`, ''));
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else {
          skipped++;
          skippedFiles.add(module.moduleId.replace(`${REPO_ROOT}/`, ''));
        }
      }
    }
    const missing = missingFixtures();
    for (const what of missing) process.stdout.write(`\nfixture missing: ${what}`);
    if (missing.length > 0 && skippedFiles.size > 0) process.stdout.write(`\nskipped tests in: ${[...skippedFiles].sort().join(', ')}`);
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`);
  }
}

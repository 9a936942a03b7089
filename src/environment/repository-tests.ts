import type { RepositoryLoad } from './load-repository.js';
import { sortPaths, type RepositoryReader } from '../config/index.js';
import type { Diagnostic } from '../diagnostics/index.js';
import { buildRuleIndex, defaultFieldTypes, parseRuleTestFile, runRuleTests, type RuleTestCase, type RuleTestResult } from '../evaluate/index.js';

const TEST_FILE = /\.ya?ml$/;

export type RepositoryTestsResult = { ok: true; results: RuleTestResult[] } | { ok: false; diagnostics: Diagnostic[] };

/**
 * Runs the repository's rule tests in every loaded environment: the shared ones (rules/tests/)
 * and each environment's own (environments/<env>/tests/). A malformed test file fails the whole
 * run with its diagnostics, so no result is reported from a half-read suite.
 */
export function runRepositoryTests(reader: RepositoryReader, load: RepositoryLoad): RepositoryTestsResult {
  const diagnostics: Diagnostic[] = [];
  const readTests = (dir: string, only?: string): RuleTestCase[] =>
    sortPaths(reader.listFiles(dir).filter((p) => TEST_FILE.test(p))).flatMap((path) => {
      const refused = reader.refusal?.(path);
      if (refused !== undefined) {
        diagnostics.push({
          code: 'INPUT_ERROR',
          severity: 'error',
          itemType: 'rule test file',
          itemName: path,
          message: `refused: ${refused}`,
          location: { file: path, line: 1, column: 1 },
        });
        return [];
      }
      const parsed = parseRuleTestFile(path, reader.readText(path) ?? '', only);
      diagnostics.push(...parsed.diagnostics);
      return parsed.cases;
    });
  const shared = readTests('rules/tests');
  const results: RuleTestResult[] = [];
  for (const env of load.environments) {
    if (!env.ruleset) continue;
    const name = env.environment.name;
    const cases = [...shared, ...readTests(`environments/${name}/tests`, name)];
    results.push(...runRuleTests(cases, name, buildRuleIndex(env.ruleset.rules, defaultFieldTypes())));
  }
  return diagnostics.length > 0 ? { ok: false, diagnostics } : { ok: true, results };
}

/**
 * A repository pinning real upstream rules tunes an upstream hook macro in its overlay and misspells
 * a field: `validate` reports Falco's error at our macro's line, with the field meant, and points
 * at our definition and at the upstream rule Falco met it in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TempRepo } from '../git/temp-repo.js';
import { initPinnedRepository, type InitRepository } from '../automation/init-repo.js';
import { run } from '../helpers/cli.js';
import { missingUpstream } from '../helpers/shared.js';

const RULES = 'falco_rules/rules-5.1.0.yaml';
const missing = missingUpstream(RULES);
const OVERLAY = 'environments/production/overlays/tuning.yaml';
const TUNING = `# Our backup agent reads /etc/shadow.
- macro: user_known_read_sensitive_files_activities
  condition: proc.nmae = backup-agent and user.name = backup
  override:
    condition: replace
`;

describe.skipIf(missing !== undefined)(`validate: a misspelt field in our overlay's macro${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let repo: TempRepo;
  let setup: InitRepository;
  const cli = (argv: string[]) => run(argv, { cwd: repo.dir, env: { HOME: repo.dir } });
  beforeAll(async () => {
    setup = await initPinnedRepository('5.1.0');
    ({ repo } = setup);
    repo.commit({ [OVERLAY]: TUNING }, 'let the backup agent read sensitive files');
  });
  afterAll(() => setup.remove());

  it("reports Falco's code and message at our macro, the field meant, our definition and the upstream rule", async () => {
    const text = await cli(['validate', '--env', 'production']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(
      new RegExp(
        `${OVERLAY}:3:14  error  filter_check called with nonexistent field proc\\.nmae  \\[LOAD_ERR_COMPILE_CONDITION\\]\\n` +
          `    hint: did you mean 'proc\\.name'\\?\\n` +
          `    note: macro 'user_known_read_sensitive_files_activities', used by rule 'Read sensitive file trusted after startup', is defined here at ${OVERLAY}:2:3\\n` +
          `    note: Falco reports it compiling rule 'Read sensitive file trusted after startup' at rules/upstream/falco_rules\\.yaml:\\d+:\\d+\\n`,
      ),
    );
    const json = JSON.parse((await cli(['validate', '--env', 'production', '--format', 'json'])).stdout) as {
      diagnostics: { code: string; message: string; itemName: string; hint?: string; location: { file: string }; related?: { location: { file: string } }[] }[];
    };
    const errors = json.diagnostics.filter((d) => d.code === 'LOAD_ERR_COMPILE_CONDITION');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      message: 'filter_check called with nonexistent field proc.nmae',
      itemName: 'Read sensitive file trusted after startup',
      hint: "did you mean 'proc.name'?",
      location: { file: OVERLAY },
    });
    expect(errors[0]!.related?.map((r) => r.location.file)).toEqual([OVERLAY, 'rules/upstream/falco_rules.yaml']);
  });
});

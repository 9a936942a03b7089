import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REFERENCE_END, REFERENCE_START, renderCommandReference } from '../../src/cli/command-reference.js';
import { REPO_ROOT } from '../helpers/shared.js';

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

describe('README', () => {
  it('has exactly two set-up commands: the example job and the whole test suite', () => {
    const setup = readme.slice(readme.indexOf('## Set up'), readme.indexOf('## How a repository'));
    const commands = setup.match(/^npm .*$/gm) ?? [];
    expect(commands.map((c) => c.replace(/\s+#.*$/, ''))).toEqual(['npm ci && npm run example', 'npm ci && npm test']);
  });

  it('.ci/run runs the README test command', () => {
    const ci = readFileSync(join(REPO_ROOT, '.ci/run'), 'utf8');
    expect(ci).toMatch(/^npm ci\b.*$/m);
    expect(ci).toMatch(/^npm test$/m);
  });

  it('command reference matches every command --help (run `npm run readme` after changing a command)', async () => {
    const block = readme.slice(readme.indexOf(REFERENCE_START), readme.indexOf(REFERENCE_END) + REFERENCE_END.length);
    expect(block).toBe(await renderCommandReference());
  });
});

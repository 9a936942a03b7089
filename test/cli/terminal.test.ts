import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { colorEnabled, colorize, defuse, progress, terminalIO } from '../../src/cli/terminal.js';
import { run } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'fg-terminal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(env: NodeJS.ProcessEnv, isTTY: boolean): CliIO & { err: string[] } {
  const err: string[] = [];
  return { cwd: dir, env, isTTY, stdout: () => {}, stderr: (t) => void err.push(t), readStdin: async () => '', err };
}

describe('colour', () => {
  it('on a terminal unless NO_COLOR; FORCE_COLOR turns it on anywhere', () => {
    expect(colorEnabled(io({}, true))).toBe(true);
    expect(colorEnabled(io({}, false))).toBe(false);
    expect(colorEnabled(io({ NO_COLOR: '1' }, true))).toBe(false);
    expect(colorEnabled(io({ FORCE_COLOR: '1' }, false))).toBe(true);
    expect(colorEnabled(io({ FORCE_COLOR: '0' }, true))).toBe(true);
    expect(colorEnabled(io({ FORCE_COLOR: '0', NO_COLOR: '1' }, true))).toBe(false);
  });

  it('errors are red only when colour is on', async () => {
    const plain = await run(['compile', 'missing.yaml'], { cwd: dir });
    expect(plain.stderr).toMatch(/^error: /);
    const forced = await run(['compile', 'missing.yaml'], { cwd: dir, env: { FORCE_COLOR: '1' } });
    expect(forced.stderr).toMatch(/^\x1b\[31merror:\x1b\[39m /);
  });

  it('diagnostics, hints and summaries are coloured on a terminal; JSON never is', async () => {
    writeFileSync(join(dir, 'bad.yaml'), '- rule: r\n  desc: d\n  condition: evt.type = open and proc.nmae = x\n  output: o\n  priority: WARNING\n');
    const forced = await run(['compile', 'bad.yaml'], { cwd: dir, env: { FORCE_COLOR: '1' } });
    expect(forced.stdout + forced.stderr).toContain('\x1b[1mbad.yaml:3:');
    expect(forced.stdout + forced.stderr).toContain('\x1b[31merror\x1b[39m LOAD_ERR_COMPILE_CONDITION');
    const plain = await run(['compile', 'bad.yaml'], { cwd: dir });
    expect(plain.stdout + plain.stderr).not.toContain('\x1b[');
    const json = await run(['compile', 'bad.yaml', '--format', 'json'], { cwd: dir, env: { FORCE_COLOR: '1' } });
    expect(json.stdout + json.stderr).not.toContain('\x1b[');
    expect(() => JSON.parse(json.stdout)).not.toThrow();
  });

  it('colorize leaves lines it does not know alone', () => {
    expect(colorize('  condition: evt.type = open\nbuild: production (1/2)')).toBe('  condition: evt.type = open\nbuild: production (1/2)');
    expect(colorize('validate: failed (1 error, 0 warnings)')).toBe('validate: \x1b[31mfailed\x1b[39m (1 error, 0 warnings)');
    expect(colorize('    hint: did you mean proc.name?')).toBe('    \x1b[32mhint:\x1b[39m did you mean proc.name?');
  });
});

describe('progress lines', () => {
  it('rewritten in place on a terminal, plain lines in CI, nothing in a pipe', () => {
    const tty = io({}, true);
    progress(tty, 'step 1');
    expect(tty.err).toEqual(['\r\x1b[Kstep 1']);
    const ci = io({ CI: 'true' }, false);
    progress(ci, 'step 1');
    expect(ci.err).toEqual(['step 1\n']);
    const pipe = io({}, false);
    progress(pipe, 'step 1');
    expect(pipe.err).toEqual([]);
  });

  it('on a terminal, whatever is written next starts on a cleared line', () => {
    const tty = io({ NO_COLOR: '1' }, true);
    const out = terminalIO(tty, ['ci']);
    progress(out, 'ci: running rule tests');
    out.stderr('error: bad ref\n');
    out.stderr('more\n');
    expect(tty.err).toEqual(['\r\x1b[Kci: running rule tests', '\r\x1b[K', 'error: bad ref\n', 'more\n']);
  });

  it('ci reports its steps (in CI)', async () => {
    expect((await run(['init', 'ci-repo'], { cwd: dir })).code).toBe(0);
    const r = await run(['ci', '--base', 'HEAD'], { cwd: join(dir, 'ci-repo'), env: { CI: 'true' } });
    expect(r.stderr).toContain('ci: loading environments\n');
  });

  it('build reports each environment as it goes (in CI)', async () => {
    expect((await run(['init', 'repo'], { cwd: dir })).code).toBe(0);
    const r = await run(['build'], { cwd: join(dir, 'repo'), env: { CI: 'true' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('build: production (1/2)\nbuild: staging (2/2)\n');
    const quiet = await run(['build', '--out', 'out2'], { cwd: join(dir, 'repo') });
    expect(quiet.stderr).toBe('');
  });
});

describe('control characters from files and servers', () => {
  const hostile = '\x1b]0;pwned\x07\x1b[2J\rok \x9b31m';

  it('are shown, not acted on; newlines and tabs stay', () => {
    expect(defuse(`a\tb\n${hostile}`)).toBe('a\tb\n\\x1b]0;pwned\\x07\\x1b[2J\\x0dok \\x9b31m');
  });

  it("in a rules file's key reach no output raw, coloured or not, and JSON keeps its own escaping", async () => {
    writeFileSync(
      join(dir, 'evil.yaml'),
      `- rule: R\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: WARNING\n  ${JSON.stringify(`k${hostile}`)}: 1\n`,
    );
    for (const env of [{}, { FORCE_COLOR: '1' }]) {
      const r = await run(['compile', 'evil.yaml'], { cwd: dir, env });
      const all = r.stdout + r.stderr;
      expect(all).toContain("Unknown key 'k\\x1b]0;pwned\\x07\\x1b[2J\\x0dok \\x9b31m'");
      expect(all.replace(/\x1b\[(?:1|22|31|33|39)m/g, '')).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    }
    const json = await run(['compile', 'evil.yaml', '--format', 'json'], { cwd: dir });
    expect(JSON.stringify(JSON.parse(json.stdout))).toContain('\\u001b]0;pwned');
  });

  it("a progress line keeps the tool's own sequences and defuses its text", () => {
    const tty = io({ NO_COLOR: '1' }, true);
    const out = terminalIO(tty, ['build']);
    progress(out, `build: ${hostile}`);
    out.stderr(`done ${hostile}\n`);
    expect(tty.err).toEqual([`\r\x1b[Kbuild: ${defuse(hostile)}`, '\r\x1b[K', `done ${defuse(hostile)}\n`]);
  });
});

/** `comment`: posts or updates the one sticky report comment on the pull request a GitHub Actions step runs for. */
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { readEventPayload, readGitHubContext, REPORT_MARKER, upsertStickyComment, type StickyCommentResult } from '../automation/index.js';
import { parseFormat, type CliCommand } from './command.js';
import { CLEAN, FINDINGS, inputError, usageError } from './exit.js';
import { formatOption } from './options.js';
import { USER_AGENT } from './tool-info.js';
import { renderJsonDocument } from '../report/index.js';

const FORMATS = ['text', 'json'] as const;

/** What `--format json` prints: `skipped` when the event is not a pull request. */
export type CommentOutcome = { action: 'created' | 'updated'; id: number; url: string } | { action: 'skipped'; reason: string };

export const commentCommand: CliCommand = {
  name: 'comment',
  register(program: Command, io, done) {
    program
      .command('comment')
      .description(`Post or update the one report comment on the current pull request (found again by the marker ${REPORT_MARKER}), from a GitHub Actions step`)
      .requiredOption('--file <file>', 'the Markdown report to post, e.g. what `ci --markdown FILE` wrote')
      .addOption(formatOption(FORMATS, 'text or json (stable: {schemaVersion, action: created|updated|skipped, id, url})'))
      .addHelpText(
        'after',
        `
Reads what a GitHub Actions step has: GITHUB_TOKEN (needs pull-requests: write; never printed),
GITHUB_REPOSITORY, GITHUB_EVENT_PATH (the pull request number) and GITHUB_API_URL
(default https://api.github.com). On an event that is not a pull request it posts nothing.

Examples:
  falco-gitops ci --markdown report.md && falco-gitops comment --file report.md
  GITHUB_TOKEN=… GITHUB_REPOSITORY=acme/rules GITHUB_EVENT_PATH=event.json falco-gitops comment --file report.md

Exit codes: 0 posted, updated, or not a pull request · 1 the GitHub API refused or failed · 2 usage error (no token, no repository or event) or unreadable input`,
      )
      .action(async (opts: { file: string; format: string }) => {
        const format = parseFormat(opts.format, FORMATS);
        const token = io.env.GITHUB_TOKEN ?? '';
        const github = readGitHubContext(io.env);
        if (token === '') return done(usageError('GITHUB_TOKEN is not set: give the step `env: GITHUB_TOKEN: ${{ github.token }}`'));
        if (github.repository === null) return done(usageError('GITHUB_REPOSITORY is not set (owner/name)'));
        if (github.eventPath === null) return done(usageError('GITHUB_EVENT_PATH is not set: run it in a GitHub Actions step'));
        const event = await readEventPayload(github.eventPath);
        if (!event.ok) return done(inputError(event.message));
        if (event.pullRequest === null) {
          io.stderr('not a pull_request event: no comment to write\n');
          if (format === 'json') io.stdout(renderJson({ action: 'skipped', reason: 'not a pull_request event' }));
          return done(CLEAN);
        }
        let body: string;
        try {
          body = await readFile(resolve(io.cwd, opts.file), 'utf8');
        } catch (err) {
          return done(inputError(`cannot read ${opts.file}: ${(err as Error).message}`));
        }
        const result = redactToken(
          await upsertStickyComment({
            apiUrl: github.apiUrl,
            token,
            repository: github.repository,
            issueNumber: event.pullRequest.number,
            body,
            userAgent: USER_AGENT,
          }),
          token,
        );
        if (!result.ok) {
          io.stderr(`cannot write the report comment: ${result.message}\n`);
          return done(FINDINGS);
        }
        const outcome: CommentOutcome = { action: result.action, id: result.id, url: result.url };
        io.stdout(format === 'json' ? renderJson(outcome) : `${result.action} comment ${result.id} ${result.url}\n`);
        done(CLEAN);
      });
  },
};

function renderJson(outcome: CommentOutcome): string {
  return renderJsonDocument({ ...outcome });
}

/** An error body could echo the request back; the token never reaches the output. */
function redactToken(result: StickyCommentResult, token: string): StickyCommentResult {
  return result.ok ? result : { ok: false, message: result.message.split(token).join('***') };
}

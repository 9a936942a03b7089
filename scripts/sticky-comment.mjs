#!/usr/bin/env node
// Posts or updates the one falco-gitops report comment on the current pull request.
// Usage: node scripts/sticky-comment.mjs REPORT.md   (after `npm run build`)
// Reads GITHUB_TOKEN, GITHUB_API_URL, GITHUB_REPOSITORY and the pull request number from GITHUB_EVENT_PATH.
import { readFile } from 'node:fs/promises';
// The two modules it needs, not the automation index: posting a comment loads nothing of the rules pipeline.
import { pullRequestOf } from '../dist/src/automation/github-context.js';
import { upsertStickyComment } from '../dist/src/automation/sticky-comment.js';

async function main(argv, env) {
  const [file] = argv;
  if (!file || !env.GITHUB_TOKEN || !env.GITHUB_REPOSITORY || !env.GITHUB_EVENT_PATH) {
    process.stderr.write('usage: sticky-comment.mjs REPORT.md (with GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_EVENT_PATH set)\n');
    return 2;
  }
  const pullRequest = pullRequestOf(JSON.parse(await readFile(env.GITHUB_EVENT_PATH, 'utf8')));
  if (!pullRequest) {
    process.stderr.write('not a pull_request event: no comment to write\n');
    return 0;
  }
  const result = await upsertStickyComment({
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    token: env.GITHUB_TOKEN,
    repository: env.GITHUB_REPOSITORY,
    issueNumber: pullRequest.number,
    body: await readFile(file, 'utf8'),
  });
  if (!result.ok) {
    process.stderr.write(`cannot write the report comment: ${result.message}\n`);
    return 1;
  }
  process.stdout.write(`${result.action} comment ${result.id} ${result.url}\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2), process.env);

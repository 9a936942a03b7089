#!/usr/bin/env node
// Posts or updates the one falco-gitops report comment on the current pull request.
// Usage: node scripts/sticky-comment.mjs REPORT.md   (after `npm run build`)
// Reads GITHUB_TOKEN, GITHUB_API_URL, GITHUB_REPOSITORY and the pull request number from GITHUB_EVENT_PATH.
import { readFile } from 'node:fs/promises';
import { pullRequestOf, upsertStickyComment } from '../dist/src/automation/index.js';

const [file] = process.argv.slice(2);
const env = process.env;
if (!file || !env.GITHUB_TOKEN || !env.GITHUB_REPOSITORY || !env.GITHUB_EVENT_PATH) {
  process.stderr.write('usage: sticky-comment.mjs REPORT.md (with GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_EVENT_PATH set)\n');
  process.exit(2);
}
const pullRequest = pullRequestOf(JSON.parse(await readFile(env.GITHUB_EVENT_PATH, 'utf8')));
if (!pullRequest) {
  process.stderr.write('not a pull_request event: no comment to write\n');
  process.exit(0);
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
  process.exit(1);
}
process.stdout.write(`${result.action} comment ${result.id} ${result.url}\n`);

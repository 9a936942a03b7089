// Records in the packed package which repository and commit it was built from (source.json), so
// `falco-gitops init` can pin the workflows' `uses:` to that commit of the action.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const repository = /github\.com[/:]([\w.-]+\/[\w.-]+?)(?:\.git)?$/.exec(pkg.repository?.url ?? '')?.[1];
if (!repository) throw new Error('package.json: repository.url must name a GitHub repository');
const commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
writeFileSync('source.json', `${JSON.stringify({ repository, commit }, null, 2)}\n`);

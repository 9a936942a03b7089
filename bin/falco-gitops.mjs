#!/usr/bin/env node
// The installed command: Node's compile cache (Node >= 22.1) keeps the bundle's compiled code between
// runs; older Node versions start without it.
import { readFileSync } from 'node:fs';
import module from 'node:module';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // Answered here, without loading the bundle: the version is the package's.
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  module.enableCompileCache?.();
  await import('../bundle/falco-gitops.mjs');
}

// Writes the single-file bundle the installed command and the GitHub Action run
// (bundle/falco-gitops.mjs): `npm run bundle`; `--out <file>` writes it elsewhere (the test
// that checks the committed bundle is current compares the two).
import { build } from 'esbuild';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--out');
const outfile = at > 0 ? resolve(process.argv[at + 1]) : resolve(root, 'bundle/falco-gitops.mjs');

await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/bin.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'eof',
  logLevel: 'warning',
  // Bundled CommonJS dependencies require() Node's built-in modules: an ES module has no require of its own.
  banner: { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
});

// Writes the single-file bundle the installed command and the GitHub Action run
// (bundle/falco-gitops.mjs): `npm run bundle`; `--out <file>` writes it elsewhere (the test
// that checks the committed bundle is current compares the two).
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--out');
const outfile = at > 0 ? resolve(process.argv[at + 1]) : resolve(root, 'bundle/falco-gitops.mjs');

// The generated config validators load ajv's runtime helpers through createRequire, which a bundler
// cannot follow; a plain require() it can, so the bundle carries them too.
const inlineAjvRuntime = {
  name: 'inline-ajv-runtime',
  setup(b) {
    b.onLoad({ filter: /generated[\\/]config-validators\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const plain = text.replace("import { createRequire } from 'node:module';", '').replace('const require = createRequire(import.meta.url);', '');
      if (plain === text) throw new Error(`${args.path}: expected ajv's createRequire preamble`);
      return { contents: plain, loader: 'ts' };
    });
  },
};

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
  plugins: [inlineAjvRuntime],
  // Bundled CommonJS dependencies require() Node's built-in modules: an ES module has no require of its own.
  banner: { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
});

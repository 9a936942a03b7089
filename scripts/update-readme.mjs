// Rewrites the README's command reference from the built CLI (`npm run readme`).
import { readFileSync, writeFileSync } from 'node:fs';
import { renderCommandReference, replaceCommandReference } from '../dist/src/cli/command-reference.js';

const readme = readFileSync('README.md', 'utf8');
writeFileSync('README.md', replaceCommandReference(readme, await renderCommandReference()));

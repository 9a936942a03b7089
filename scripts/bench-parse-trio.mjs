// The baseline of the whole-process compile benchmark: a bare Node script that only reads and
// parses the given rules files with `yaml`, as any tool must before it can do anything else.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

for (const file of process.argv.slice(2)) for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) doc.toJS();

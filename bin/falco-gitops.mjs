#!/usr/bin/env node
// The installed command: Node's compile cache (Node >= 22.1) keeps the bundle's compiled code between
// runs; older Node versions start without it.
import module from 'node:module';

module.enableCompileCache?.();
await import('../bundle/falco-gitops.mjs');

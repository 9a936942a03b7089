// The entry of the single-file bundle (bundle/falco-gitops.mjs, see scripts/bundle.mjs).
import { runMain } from './main.js';

runMain();

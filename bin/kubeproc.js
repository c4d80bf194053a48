#!/usr/bin/env node
// The kubeproc command: runs the compiled CLI from dist/.
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`kubeproc: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);

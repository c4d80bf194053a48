#!/usr/bin/env node
// The kubeproc command: runs the compiled CLI from dist/.
import { main } from '../dist/cli/main.js';

process.on('unhandledRejection', (reason) => {
  process.stderr.write(
    `kubeproc: internal error: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`,
  );
  process.exit(70);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`kubeproc: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);

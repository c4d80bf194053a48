// Where the demo finds the kubeproc command and the example app: beside it in the package, the
// same relative place from src/cli/demo (tests) and dist/cli/demo (the built CLI).
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export const KUBEPROC_BIN = join(ROOT, 'bin/kubeproc.js');
export const HELLO_FLASK_DIR = join(ROOT, 'examples/hello-flask');

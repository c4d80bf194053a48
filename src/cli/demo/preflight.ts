// What the demo needs before it starts anything: kubectl on PATH, python3 with Flask where pods
// find it (Docker's default PATH), the example app, and killall for the in-pod kill.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PATH } from '../../node/runtime/command.js';
import { HELLO_FLASK_DIR } from './paths.js';

export interface Preflight {
  problems: string[];
  hasKillall: boolean;
}

function runs(file: string, args: string[], env?: NodeJS.ProcessEnv): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 30_000, ...(env ? { env } : {}) }, (err) => resolve(!err));
  });
}

/** Checks the machine; `problems` holds one sentence per missing piece, with the fix. */
export async function preflight(): Promise<Preflight> {
  const podEnv = { PATH: DEFAULT_PATH };
  const [hasKubectl, hasFlask, hasKillall] = await Promise.all([
    runs('kubectl', ['version', '--client']),
    runs('python3', ['-c', 'import flask'], podEnv),
    runs('sh', ['-c', 'command -v killall'], podEnv),
  ]);
  const problems: string[] = [];
  if (!hasKubectl) {
    problems.push(
      'kubectl is not on PATH: the demo runs the real kubectl (https://kubernetes.io/docs/tasks/tools/)',
    );
  }
  if (!hasFlask) {
    problems.push(
      `python3 with Flask was not found on ${DEFAULT_PATH} (where pods look): install it, e.g. apt-get install python3-flask`,
    );
  }
  if (!existsSync(join(HELLO_FLASK_DIR, 'app.py'))) {
    problems.push(
      `the example app is missing (${HELLO_FLASK_DIR}): run the demo from a kubeproc checkout`,
    );
  }
  return { problems, hasKillall };
}

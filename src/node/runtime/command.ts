// Checks before exec, worded like runc's errors so the agent can show them as waiting messages:
// the working directory, and the command resolved against the container's PATH.
import { access, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import path from 'node:path';

/** Docker's default PATH, used when the container's env sets none. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export type StartFailure = 'RunContainerError' | 'CreateContainerError';

/** A container that could not start; `reason` is the waiting reason to report, with `message`. */
export class ContainerStartError extends Error {
  constructor(
    readonly reason: StartFailure,
    message: string,
  ) {
    super(message);
    this.name = 'ContainerStartError';
  }
}

/** Fails unless `dir` is an existing directory. */
export async function checkWorkingDir(dir: string): Promise<void> {
  try {
    if (!(await stat(dir)).isDirectory()) {
      throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    }
  } catch (err) {
    throw new ContainerStartError(
      'RunContainerError',
      `chdir to cwd (${JSON.stringify(dir)}) set in config.json failed: ${describeErrno(err)}`,
    );
  }
}

/** The file to exec: a name with a slash is taken as a path (relative to cwd), else searched in PATH. */
export async function resolveCommand(
  command: string | undefined,
  pathEnv: string,
  cwd: string,
): Promise<string> {
  if (command === undefined || command === '') {
    throw new ContainerStartError('RunContainerError', 'no command specified');
  }
  if (command.includes('/')) {
    const file = path.resolve(cwd, command);
    const problem = await executableProblem(file);
    if (problem) {
      throw new ContainerStartError(
        'RunContainerError',
        `exec: ${JSON.stringify(command)}: ${problem}`,
      );
    }
    return file;
  }
  let denied = false;
  for (const dir of pathEnv.split(':').filter(Boolean)) {
    const file = path.resolve(cwd, dir, command);
    const problem = await executableProblem(file);
    if (!problem) {
      return file;
    }
    denied ||= problem === 'permission denied';
  }
  const why = denied ? 'permission denied' : 'executable file not found in $PATH';
  throw new ContainerStartError('RunContainerError', `exec: ${JSON.stringify(command)}: ${why}`);
}

async function executableProblem(file: string): Promise<string | undefined> {
  try {
    if ((await stat(file)).isDirectory()) {
      return 'is a directory';
    }
    await access(file, constants.X_OK);
    return undefined;
  } catch (err) {
    return describeErrno(err);
  }
}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'not a directory',
  EACCES: 'permission denied',
};

// Go's syscall error strings, which runc's messages carry.
function describeErrno(err: unknown): string {
  const text = ERRNO_TEXT[(err as NodeJS.ErrnoException).code ?? ''];
  return text ?? (err instanceof Error ? err.message : String(err));
}

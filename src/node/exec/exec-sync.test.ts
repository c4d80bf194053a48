// Exec probes through the runtime (CRI ExecSync): exit codes, output, timeouts and commands that
// cannot run, into a PID namespace when the machine allows it, through the real prober.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from '../prober/prober.js';
import { detectSandbox } from '../sandbox/detect.js';
import { killGroup, startContainer } from '../runtime/process-runtime.js';
import type { RunningContainer } from '../runtime/process-runtime.js';
import { execSync, probeExec } from './exec-sync.js';
import type { ExecTarget } from './types.js';

const sandbox = await detectSandbox();
const modes = [
  { mode: 'host', ns: false },
  { mode: 'PID namespace', ns: true },
].filter((m) => !m.ns || sandbox.pidNamespaces);

describe.each(modes)('execSync ($mode)', ({ ns }) => {
  let podDir = '';
  let c: RunningContainer;
  let target: ExecTarget;

  beforeAll(async () => {
    podDir = await mkdtemp(path.join(tmpdir(), 'kubeproc-execsync-'));
    c = await startContainer({
      name: 'app',
      podDir,
      restartCount: 0,
      command: ['sleep', '1000'],
      pidNamespace: ns && sandbox.pidNamespaces ? sandbox : undefined,
    });
    const tools = ns && sandbox.pidNamespaces ? sandbox : undefined;
    target = { targetPid: c.namespacePid, sandbox: tools, env: { GREETING: 'hi' } };
  });

  afterAll(async () => {
    killGroup(c.pid, 'SIGKILL');
    await c.wait();
    await rm(podDir, { recursive: true, force: true });
  });

  it.each([
    {
      script: 'echo "$GREETING"',
      want: { exitCode: 0, stdout: 'hi\n', stderr: '', isTimedOut: false },
    },
    {
      script: 'echo e >&2; exit 3',
      want: { exitCode: 3, stdout: '', stderr: 'e\n', isTimedOut: false },
    },
    { script: 'kill -KILL $$', want: { exitCode: 137, stdout: '', stderr: '', isTimedOut: false } },
  ])('`$script` gives $want', async ({ script, want }) => {
    expect(await execSync(target, ['sh', '-c', script], 5000)).toEqual(want);
  });

  it('kills the command at the timeout', async () => {
    const begun = Date.now();
    const result = await execSync(target, ['sh', '-c', 'sleep 30 & sleep 30'], 300);
    expect(result.isTimedOut).toBe(true);
    expect(Date.now() - begun).toBeLessThan(3000);
  });

  it('throws the CRI error when the command cannot run', async () => {
    await expect(execSync(target, ['/no/such/probe'], 1000)).rejects.toThrow(
      /^rpc error: code = Unknown desc = failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "\/no\/such\/probe": no such file or directory: unknown$/,
    );
  });

  it('drives the prober: success, failure with output, timeout', async () => {
    const probeTarget = { ip: '127.0.0.1', exec: probeExec(target) };
    const probe = (script: string): Parameters<typeof runProbe>[0] => ({
      exec: { command: ['sh', '-c', script] },
      timeoutSeconds: 1,
    });
    expect(await runProbe(probe('exit 0'), probeTarget)).toEqual({
      result: 'success',
      message: '',
    });
    expect(await runProbe(probe('echo bad; exit 1'), probeTarget)).toEqual({
      result: 'failure',
      message: 'bad\n',
    });
    expect(await runProbe(probe('sleep 5'), probeTarget)).toEqual({
      result: 'failure',
      message: 'command "sh -c sleep 5" timed out',
    });
  });
});

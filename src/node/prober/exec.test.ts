// exec probes through a target that runs commands as real processes: exit codes, output,
// timeouts, $(VAR) expansion and runtime errors.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Probe } from '../../apis/core/v1/types.js';
import { expand } from './expansion.js';
import { runProbe } from './prober.js';
import type { ExecResult, ProbeTarget } from './types.js';

/** Runs the command on this machine, killing it at the timeout as a CRI runtime does. */
function runLocally(command: string[], timeoutMs: number): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const [file, ...args] = command;
    // Its own process group, so that the kill at the timeout reaches the command's children.
    const child = spawn(file ?? '', args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let isTimedOut = false;
    const timer = setTimeout(() => {
      isTimedOut = true;
      process.kill(-(child.pid ?? 0), 'SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code ?? -1, stdout, stderr, isTimedOut });
    });
  });
}

const target: ProbeTarget = {
  ip: '127.0.0.1',
  exec: runLocally,
  env: [
    { name: 'GREETING', value: 'hello' },
    { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
  ],
};

const execProbe = (script: string): Probe => ({
  exec: { command: ['sh', '-c', script] },
  timeoutSeconds: 1,
});

describe('exec probe', () => {
  it.each([
    ['exit 0', 'success', ''],
    ['exit 1', 'failure', ''],
    ['echo out; echo err >&2; exit 3', 'failure', 'out\nerr\n'],
    ['echo ready', 'success', 'ready\n'],
  ])('%s gives %s', async (script, result, message) => {
    expect(await runProbe(execProbe(script), target)).toEqual({ result, message });
  });

  it('expands $(VAR) from the static env before running the command', async () => {
    const words = ['echo', '$(GREETING)', '$(FROM_SECRET)-$(MISSING)-$$(GREETING)'];
    const out = await runProbe({ exec: { command: words }, timeoutSeconds: 1 }, target);
    expect(out).toEqual({ result: 'success', message: 'hello -$(MISSING)-$(GREETING)\n' });
  });

  it('fails on timeout, naming the command', async () => {
    const started = Date.now();
    const out = await runProbe(execProbe('sleep 5'), target);
    expect(out).toEqual({ result: 'failure', message: 'command "sh -c sleep 5" timed out' });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('keeps at most 10 KiB of output', async () => {
    const out = await runProbe(execProbe('head -c 20000 /dev/zero | tr "\\0" x; exit 1'), target);
    expect(out).toEqual({ result: 'failure', message: 'x'.repeat(10 * 1024) });
  });

  it('errors when the runtime cannot run the command', async () => {
    const probe: Probe = { exec: { command: ['/nonexistent/probe'] }, timeoutSeconds: 1 };
    const out = await runProbe(probe, target);
    expect(out).toMatchObject({ result: 'unknown', isError: true });
    expect(out.message).toContain('ENOENT');
  });

  it('errors when the target has no exec', async () => {
    const out = await runProbe(execProbe('exit 0'), { ip: '127.0.0.1' });
    expect(out).toMatchObject({ result: 'unknown', isError: true });
  });
});

describe('$(VAR) expansion', () => {
  const vars: Record<string, string> = { A: 'x', EMPTY: '' };
  it.each([
    ['$(A)', 'x'],
    ['$(EMPTY)y', 'y'],
    ['$(B)', '$(B)'],
    ['$$(A)', '$(A)'],
    ['$$$(A)', '$x'],
    ['$(A', '$(A'],
    ['a$b', 'a$b'],
    ['end$', 'end$'],
    ['$($(A))', '$($(A))'],
  ])('%s becomes %s', (input, want) => {
    expect(expand(input, (name) => vars[name])).toBe(want);
  });
});

// kubectl attach's runtime side against real containers: stdin held by the agent (a pipe, or a
// terminal whose output also goes to the log), stdinOnce's EOF, output from the moment of attach,
// and the refusal of stdin for a container whose holder is gone (adopted after a restart).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectSandbox } from '../sandbox/detect.js';
import { killGroup, startContainer } from '../runtime/process-runtime.js';
import type { ContainerSpec, RunningContainer } from '../runtime/process-runtime.js';
import { AttachStartError, attachInput, attachToContainer } from './attach-container.js';
import type { AttachTarget } from './attach-container.js';

const sandbox = await detectSandbox();
let podDir = '';
const started: RunningContainer[] = [];

beforeAll(async () => {
  podDir = await mkdtemp(path.join(tmpdir(), 'kubeproc-attach-'));
});

afterAll(async () => {
  for (const c of started) {
    killGroup(c.pid, 'SIGKILL');
    await c.wait();
  }
  await rm(podDir, { recursive: true, force: true });
});

type Spec = AttachTarget['spec'];

async function run(name: string, script: string, spec: Spec): Promise<AttachTarget> {
  const opts: ContainerSpec = {
    name,
    podDir,
    restartCount: 0,
    command: ['sh', '-c', script],
    logPumpIntervalMs: 20,
    pidNamespace: sandbox.pidNamespaces ? sandbox : undefined,
    ...spec,
  };
  const process = await startContainer(opts);
  started.push(process);
  return { process, spec, describe: `container "${name}" in pod "p"` };
}

function collect(stream: Readable | undefined): { text: () => string } {
  let text = '';
  stream?.on('data', (d: Buffer) => (text += d.toString()));
  return { text: () => text };
}

const ALL = { stdin: true, stdout: true, stderr: true };

describe('attach to a container with a stdin pipe', () => {
  it('stdinOnce: the client input reaches the app, its end is EOF, the session ends with it', async () => {
    const target = await run('once', 'cat; echo done >&2; exit 3', {
      stdin: true,
      stdinOnce: true,
    });
    const session = await attachToContainer(target, ALL);
    const out = collect(session.stdout);
    const err = collect(session.stderr);
    session.stdin?.end('hello\n');
    // attach reports no exit code of its own: the session just ends with the container.
    expect(await session.exit).toEqual({ exitCode: 3 });
    await expect.poll(() => out.text()).toBe('hello\n');
    await expect.poll(() => err.text()).toBe('done\n');
  });

  it('without stdinOnce, the end of the client input ends the session, not the container', async () => {
    const target = await run('keep', 'while read l; do echo "got $l"; done', { stdin: true });
    const first = await attachToContainer(target, ALL);
    const out = collect(first.stdout);
    first.stdin?.write('a\n');
    await expect.poll(() => out.text(), { timeout: 5000 }).toBe('got a\n');
    first.stdin?.end();
    expect(await first.exit).toEqual({ exitCode: 0 });
    const second = await attachToContainer(target, ALL);
    const out2 = collect(second.stdout);
    second.stdin?.write('b\n');
    await expect.poll(() => out2.text(), { timeout: 5000 }).toBe('got b\n');
    // The first session ended: it saw nothing more.
    expect(out.text()).toBe('got a\n');
    second.abort();
    expect(await second.exit).toEqual({ exitCode: 0 });
  });

  it('shows output from the moment of attach, not before', async () => {
    const target = await run('ticker', 'echo early; read x; echo late', { stdin: true });
    await expect.poll(() => readFile(`${podDir}/ticker/0.stdout`, 'utf8')).toBe('early\n');
    const session = await attachToContainer(target, ALL);
    const out = collect(session.stdout);
    session.stdin?.write('go\n');
    await expect.poll(() => out.text(), { timeout: 5000 }).toBe('late\n');
    session.abort();
  });
});

describe('attach to a terminal container', () => {
  it('replays the first attach, carries input and resizes, and logs what the terminal showed', async () => {
    const target = await run('term', 'echo ready; read x; stty size; echo "got $x"', {
      stdin: true,
      stdinOnce: true,
      tty: true,
    });
    const session = await attachToContainer(target, ALL);
    expect(session.stderr).toBeUndefined();
    const out = collect(session.stdout);
    session.resize?.({ width: 100, height: 30 });
    await expect.poll(() => out.text(), { timeout: 5000 }).toContain('ready\r\n');
    session.stdin?.write('hi\r');
    expect(await session.exit).toEqual({ exitCode: 0 });
    expect(out.text()).toContain('30 100\r\ngot hi\r\n');
    const log = await readFile(target.process.logPath, 'utf8');
    expect(log).toMatch(/ stdout F got hi\r\n/);
  });
});

describe('stdin refusals', () => {
  it.each([
    { spec: { stdin: false }, wants: true, held: true, result: 'ignored' },
    { spec: { stdin: true }, wants: false, held: true, result: 'ignored' },
    { spec: { stdin: true }, wants: true, held: true, result: 'held' },
    { spec: { stdin: true }, wants: true, held: false, result: 'refused' },
  ])(
    'spec $spec, client stdin $wants, holder $held: $result',
    async ({ spec, wants, held, result }) => {
      const target = await run(`r${started.length}`, 'sleep 100', { ...spec });
      const subject: AttachTarget = held
        ? target
        : { ...target, process: { ...target.process, stdio: undefined } };
      const outcome = (): string => {
        try {
          return attachInput(subject, wants) ? 'held' : 'ignored';
        } catch (e) {
          expect(e).toBeInstanceOf(AttachStartError);
          expect((e as Error).message).toBe(
            `the stdin of ${subject.describe} was lost when kubeproc restarted (its output can still be attached without -i)`,
          );
          return 'refused';
        }
      };
      expect(outcome()).toBe(result);
    },
  );
});

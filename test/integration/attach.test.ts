// `kubectl run -i|-it --rm` and `kubectl attach` with the real kubectl (1.27 over SPDY, 1.32 and
// 1.33 over WebSocket): piped stdin reaches the container, terminal output reaches kubectl, the
// pod is deleted after, and attaching to a running container shows its new output.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, kubectlVersionsDir, startKubeproc, type Kubeproc } from './harness.js';

let kp: Kubeproc;

beforeAll(async () => {
  kp = await startKubeproc();
}, 60_000);

afterAll(async () => {
  await kp?.stop();
});

const VERSIONS = [
  { binary: 'kubectl.1.27', protocol: 'SPDY' },
  { binary: 'kubectl.1.32', protocol: 'WebSocket' },
  { binary: 'kubectl.1.33', protocol: 'WebSocket' },
];

function isGone(pod: string): boolean {
  const r = kp.kubectl(['get', 'pod', pod]);
  return r.code !== 0 && r.stderr.includes('NotFound');
}

/** kubectl on a terminal, as a user runs `-it`: util-linux `script` gives it one. */
function onTerminal(binary: string, args: string[]): { code: number; output: string } {
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const kubectl = join(kubectlVersionsDir(), binary);
  const r = spawnSync(
    'script',
    ['-qec', `${kubectl} --cache-dir=${join(kp.dir, 'cache')} ${quoted}`, '/dev/null'],
    {
      encoding: 'utf8',
      input: '',
      env: { ...process.env, HOME: kp.dir, KUBECONFIG: kp.kubeconfig },
      timeout: 60_000,
    },
  );
  return { code: r.status ?? -1, output: r.stdout ?? '' };
}

describe.each(VERSIONS)('kubectl run and attach ($binary, $protocol)', ({ binary }) => {
  const name = (what: string): string => `${what}-${binary.replace(/\D/g, '')}`;

  it('kubectl run --rm -i passes piped stdin to the container and prints its output', async () => {
    const pod = name('stdin');
    const r = kp.kubectl(
      ['run', pod, '--rm', '-i', '--restart=Never', '--image=none', '--command', '--'].concat([
        'sh',
        '-c',
        'read x; echo got:$x',
      ]),
      { binary, input: 'hello\n' },
    );
    expect(r.stdout).toBe(`got:hello\npod "${pod}" deleted\n`);
    expect(r.code).toBe(0);
    await eventually(`pod ${pod} to be gone`, () => isGone(pod));
  });

  it('kubectl run --rm -it prints the terminal output and deletes the pod', async () => {
    const pod = name('tty');
    const r = onTerminal(binary, [
      'run',
      pod,
      '--rm',
      '-it',
      '--restart=Never',
      '--image=none',
      '--command',
      '--',
      'sh',
      '-c',
      'sleep 1; echo hi; [ -t 0 ] && echo on-a-terminal',
    ]);
    expect(r.output).toContain('hi\r\n');
    expect(r.output).toContain('on-a-terminal\r\n');
    expect(r.output).toContain(`pod "${pod}" deleted`);
    expect(r.code).toBe(0);
    await eventually(`pod ${pod} to be gone`, () => isGone(pod));
  });

  it('kubectl attach shows what a running container prints from then on', async () => {
    const pod = name('ticker');
    kp.kubectlOk([
      'run',
      pod,
      '--restart=Never',
      '--image=none',
      '--command',
      '--',
      'sh',
      '-c',
      'i=0; while true; do i=$((i+1)); echo tick$i; echo tock$i >&2; sleep 0.2; done',
    ]);
    await eventually(`${pod} to have printed tick5`, () =>
      kp.kubectl(['logs', pod]).stdout.includes('tick5\n'),
    );
    const r = spawnSync(
      join(kubectlVersionsDir(), binary),
      [`--cache-dir=${join(kp.dir, 'cache')}`, 'attach', pod],
      {
        encoding: 'utf8',
        input: '',
        env: { ...process.env, HOME: kp.dir, KUBECONFIG: kp.kubeconfig },
        timeout: 3000,
      },
    );
    const ticks = [...r.stdout.matchAll(/^tick(\d+)$/gm)].map((m) => Number(m[1]));
    expect(ticks.length).toBeGreaterThan(3);
    expect(ticks[0]).toBeGreaterThanOrEqual(5);
    expect(r.stderr).toMatch(/tock\d+\n/);
    kp.kubectlOk(['delete', 'pod', pod, '--grace-period=1']);
  });
});

describe('kubectl logs and completion', () => {
  it('keeps the log of a terminal container (CRI lines of what the terminal carried)', async () => {
    kp.kubectlOk(['apply', '-f', '-'], TTY_POD);
    await eventually('tty-log to complete', () =>
      kp
        .kubectl(['get', 'pod', 'tty-log', '-o', 'jsonpath={.status.phase}'])
        .stdout.includes('Succeeded'),
    );
    expect(kp.kubectlOk(['logs', 'tty-log'])).toBe('one\r\ntwo\r\n');
  });

  it('kubectl run --rm -it of a command that ends at once still prints its output', async () => {
    // Seed 002's shape: the command may end before kubectl attaches (kubectl then prints the
    // logs of the Succeeded pod) or just after (the first attach gets the output from the start).
    const r = onTerminal('kubectl.1.32', [
      'run',
      'quick',
      '--rm',
      '-it',
      '--restart=Never',
      '--image=none',
      '--command',
      '--',
      'echo',
      'quick-output',
    ]);
    expect(r.output).toContain('quick-output');
    expect(r.output).toContain('pod "quick" deleted');
    await eventually('pod quick to be gone', () => isGone('quick'));
  });
});

const TTY_POD = `
apiVersion: v1
kind: Pod
metadata: {name: tty-log}
spec:
  restartPolicy: Never
  containers:
  - name: c
    image: none
    stdin: true
    tty: true
    command: [sh, -c, 'echo one; echo two']
`;

// kubectl logs against real container processes: -f follows a running container and ends when it
// exits, --previous after a restart, -c in a two-container pod, and --tail, --since, --since-time,
// --timestamps as kubectl sends them (tailLines, sinceSeconds, sinceTime, timestamps).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeproc } from './harness.js';
import type { Kubeproc } from './harness.js';
import { fixturePod, podReader, type PodReader } from './pods.js';
import { kubectlChild } from './processes.js';

let kp: Kubeproc;
let pods: PodReader;

beforeAll(async () => {
  kp = await startKubeproc(['--crashloop-initial-backoff', '1s', '--crashloop-max-backoff', '2s']);
  pods = podReader(kp);
});

afterAll(async () => {
  await kp?.stop();
});

function shPod(name: string, script: string, spec: Record<string, unknown> = {}): string {
  return fixturePod(name, { command: ['sh', '-c', script], spec });
}

describe('kubectl logs -f', () => {
  it('prints new lines as the container writes them and ends when it exits', async () => {
    const script = 'for i in $(seq 1 12); do echo line $i; sleep 0.4; done';
    kp.kubectlOk(['apply', '-f', '-'], shPod('ticker', script, { restartPolicy: 'Never' }));
    await pods.waitFor('the first line', 'ticker', () =>
      kp.kubectl(['logs', 'ticker']).stdout.includes('line 1\n'),
    );
    const follow = kubectlChild(kp, ['logs', '-f', 'ticker']);
    try {
      await follow.waitForLine('a line while running', (l) => l.startsWith('line '));
      // Still running when the follower started: the last line was not written yet.
      expect(kp.kubectlOk(['logs', 'ticker'])).not.toContain('line 12\n');
      await follow.waitForLine('the last line', (l) => l === 'line 12', 30_000);
      const code = await Promise.race([
        follow.exited,
        new Promise<number>((r) => setTimeout(() => r(-2), 15_000)),
      ]);
      expect(code).toBe(0);
      expect(follow.lines()).toEqual(Array.from({ length: 12 }, (_, i) => `line ${i + 1}`));
    } finally {
      await follow.kill();
    }
    expect(pods.get('ticker', '.status.phase')).toBe('Succeeded');
    kp.kubectlOk(['delete', 'pod', 'ticker', '--wait=false']);
  });
});

describe('kubectl logs --previous and -c', () => {
  it('shows the run before a restart', async () => {
    const script = 'echo run started at $(date +%s%N); sleep 1; exit 1';
    kp.kubectlOk(['apply', '-f', '-'], shPod('again', script));
    await pods.waitFor('a restart', 'again', () => pods.restarts('again') >= 1);
    await pods.waitFor('the current run has logged', 'again', () =>
      kp.kubectl(['logs', 'again']).stdout.startsWith('run started'),
    );
    const previous = kp.kubectlOk(['logs', 'again', '--previous']);
    expect(previous).toMatch(/^run started at \d+\n$/);
    expect(kp.kubectlOk(['logs', 'again'])).not.toBe(previous);
    kp.kubectlOk(['delete', 'pod', 'again', '--grace-period=1', '--wait=false']);
  });

  it('reads the container -c names in a two-container pod, without a previous run', async () => {
    const manifest = JSON.parse(shPod('pair', 'echo from first; sleep 300')) as {
      spec: { containers: Record<string, unknown>[] };
    };
    manifest.spec.containers.push({
      name: 'second',
      image: 'sh',
      command: ['sh', '-c', 'echo from second >&2; sleep 300'],
    });
    kp.kubectlOk(['apply', '-f', '-'], JSON.stringify(manifest));
    await pods.waitFor('both logged', 'pair', () =>
      kp.kubectl(['logs', 'pair', '-c', 'second']).stdout.includes('from second'),
    );
    expect(kp.kubectlOk(['logs', 'pair', '-c', 'second'])).toBe('from second\n');
    expect(kp.kubectlOk(['logs', 'pair', '-c', 'app'])).toBe('from first\n');
    const missing = kp.kubectl(['logs', 'pair', '-c', 'third']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('container third is not valid for pod pair');
    const noPrevious = kp.kubectl(['logs', 'pair', '-c', 'second', '--previous']);
    expect(noPrevious.code).not.toBe(0);
    expect(noPrevious.stderr).toContain(
      'previous terminated container "second" in pod "pair" not found',
    );
    kp.kubectlOk(['delete', 'pod', 'pair', '--grace-period=1', '--wait=false']);
  });
});

describe('kubectl logs --tail, --since, --since-time, --timestamps', () => {
  beforeAll(async () => {
    const script = 'echo early 1; echo early 2; sleep 6; echo late 1; echo late 2; sleep 300';
    kp.kubectlOk(['apply', '-f', '-'], shPod('clock', script));
    await pods.waitFor('the late lines', 'clock', () =>
      kp.kubectl(['logs', 'clock']).stdout.includes('late 2\n'),
    );
  });

  afterAll(() => {
    kp.kubectlOk(['delete', 'pod', 'clock', '--grace-period=1', '--wait=false']);
  });

  it('--tail=N prints the last N lines, --tail=0 none', () => {
    expect(kp.kubectlOk(['logs', 'clock', '--tail=3'])).toBe('early 2\nlate 1\nlate 2\n');
    expect(kp.kubectlOk(['logs', 'clock', '--tail=0'])).toBe('');
  });

  it('--since=3s leaves out lines written 6 s earlier', () => {
    expect(kp.kubectlOk(['logs', 'clock', '--since=3s'])).toBe('late 1\nlate 2\n');
    expect(kp.kubectlOk(['logs', 'clock', '--since=1h'])).toBe(
      'early 1\nearly 2\nlate 1\nlate 2\n',
    );
  });

  it('--timestamps prefixes RFC 3339 nano times, and --since-time starts at one', () => {
    const lines = kp.kubectlOk(['logs', 'clock', '--timestamps']).trim().split('\n');
    expect(lines).toHaveLength(4);
    for (const line of lines) {
      expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (early|late) \d$/);
    }
    const lateAt = (lines[2] ?? '').split(' ')[0] ?? '';
    expect(kp.kubectlOk(['logs', 'clock', `--since-time=${lateAt}`])).toBe('late 1\nlate 2\n');
    const tail = kp.kubectlOk(['logs', 'clock', '--tail=1', '--timestamps']);
    expect(tail).toBe(`${lines[3]}\n`);
  });
});

// kubectl logs against real container processes: -f follows a running container and ends when it
// exits, --previous after a restart, -c in a two-container pod, and --tail, --since, --since-time,
// --timestamps as kubectl sends them (tailLines, sinceSeconds, sinceTime, timestamps), and the
// 10 MiB cap with one rotation.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
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

  it('--timestamps prefixes RFC 3339 nano times (trailing zeros trimmed), --since-time starts at one', () => {
    const lines = kp.kubectlOk(['logs', 'clock', '--timestamps']).trim().split('\n');
    expect(lines).toHaveLength(4);
    for (const line of lines) {
      expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z (early|late) \d$/);
    }
    const lateAt = (lines[2] ?? '').split(' ')[0] ?? '';
    expect(kp.kubectlOk(['logs', 'clock', `--since-time=${lateAt}`])).toBe('late 1\nlate 2\n');
    const tail = kp.kubectlOk(['logs', 'clock', '--tail=1', '--timestamps']);
    expect(tail).toBe(`${lines[3]}\n`);
  });
});

describe('log size cap', () => {
  it('rotates a container log once at 10 MiB and keeps the newest lines readable', async () => {
    // 24,000 numbered 1000-byte lines (24 MB): more than the current and the rotated file hold.
    const script = [
      "let s = '';",
      "for (let i = 1; i <= 24000; i++) s += String(i).padStart(999, '0') + '\\n';",
      "process.stdout.write(s + 'done\\n');",
      'setInterval(() => {}, 1e9);',
    ].join(' ');
    kp.kubectlOk(['apply', '-f', '-'], fixturePod('chatty', { command: ['node', '-e', script] }));
    const uid = (): string => pods.get('chatty', '.metadata.uid');
    const rotated = (): string => join(kp.dir, 'data/pods', uid(), 'app', '0.log.1');
    await pods.waitFor(
      'the last line logged',
      'chatty',
      () => kp.kubectl(['logs', 'chatty', '--tail=1']).stdout === 'done\n',
    );
    const cap = 10 * 1024 * 1024;
    expect(existsSync(rotated())).toBe(true);
    expect(statSync(rotated()).size).toBeLessThanOrEqual(cap);
    expect(statSync(rotated().replace(/\.1$/, '')).size).toBeLessThanOrEqual(cap);
    const all = spawnSync('kubectl', [`--cache-dir=${join(kp.dir, 'cache')}`, 'logs', 'chatty'], {
      encoding: 'utf8',
      env: { ...process.env, HOME: kp.dir, KUBECONFIG: kp.kubeconfig },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 60_000,
    });
    expect(all.status).toBe(0);
    expect(all.stdout.length).toBeLessThanOrEqual(2 * cap);
    const lines = all.stdout.split('\n').slice(0, -2);
    const numbers = lines.map(Number);
    // The oldest lines went with the rotation; what is kept is whole and in order.
    expect(numbers[0]).toBeGreaterThan(1);
    expect(numbers.at(-1)).toBe(24000);
    expect(numbers.every((n, i) => i === 0 || n === (numbers[i - 1] ?? 0) + 1)).toBe(true);
    kp.kubectlOk(['delete', 'pod', 'chatty', '--grace-period=1', '--wait=false']);
  });
});

// `kubeproc demo` end to end, as a user runs it (the built CLI, the real kubectl, python3 with
// Flask): the whole story completes with zero failed requests, RESTARTS 1 and the HPA's scale up
// and down; Ctrl-C midway still cleans up. Neither run may leave a process or temp dir behind.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, eventually } from './harness.js';

interface DemoRun {
  child: ChildProcess;
  output(): string;
  exited: Promise<number>;
}

const running: ChildProcess[] = [];

function startDemo(): DemoRun {
  // --ingress-http-port 0: never take port 80 from whatever else runs on this machine.
  const child = spawn(process.execPath, [BIN, 'demo', '--ingress-http-port', '0'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let text = '';
  child.stdout?.on('data', (c: Buffer) => (text += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (text += c.toString()));
  const exited = new Promise<number>((r) => child.once('exit', (code) => r(code ?? -1)));
  return { child, output: () => text, exited };
}

/** Processes whose command line mentions `text` (other than this test's own). */
function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmdline.includes(text) && Number(pid) !== process.pid) {
        found.push(`${pid}: ${cmdline}`);
      }
    } catch {
      // Exited while we read /proc.
    }
  }
  return found;
}

const APP = 'examples/hello-flask/app.py';

function tempDirOf(output: string): string {
  const dir = /\(in (\/\S+kubeproc-demo-[^)\s]+)\)/.exec(output)?.[1];
  if (dir === undefined) {
    throw new Error(`the demo did not say where its temp dir is:\n${output}`);
  }
  return dir;
}

async function expectNothingLeft(dir: string, appsBefore: string[]): Promise<void> {
  expect(existsSync(dir)).toBe(false);
  expect(processesMentioning(dir)).toEqual([]);
  // Pods' processes do not name the temp dir; compare with those running before the demo.
  await eventually('the pods of the demo to be gone', () =>
    processesMentioning(APP).every((p) => appsBefore.includes(p)),
  );
}

afterEach(async () => {
  // A failed assertion must not leave a demo running: Ctrl-C makes it clean up, then force.
  for (const child of running.splice(0)) {
    if (child.exitCode === null && child.pid !== undefined) {
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(-child.pid, 'SIGINT');
      const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    }
  }
}, 40_000);

describe('kubeproc demo', () => {
  it('cleans up when interrupted with Ctrl-C', async () => {
    const appsBefore = processesMentioning(APP);
    const demo = startDemo();
    await eventually(
      'the demo to reach step 3',
      () => demo.output().includes('=== 3/7'),
      90_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n${demo.output()}`);
    });
    process.kill(demo.child.pid ?? 0, 'SIGINT');
    expect(await demo.exited).toBe(130);
    const out = demo.output();
    expect(out).toMatch(/^Interrupted\.$/m);
    expect(out).toMatch(/^Done: kubeproc stopped, its pods' processes ended, temp dir removed/m);
    await expectNothingLeft(tempDirOf(out), appsBefore);
  }, 150_000);

  it('runs the whole story: zero failed requests, RESTARTS 1, scale up and back down', async () => {
    const appsBefore = processesMentioning(APP);
    const started = Date.now();
    const demo = startDemo();
    const code = await demo.exited;
    const out = demo.output();
    expect(code, out).toBe(0);
    // Requests alternate between the two pods through the Ingress.
    const answers = [...out.matchAll(/Hello, Kubernetes! from Pod: (\S+)/g)].map((m) => m[1]);
    expect(new Set(answers.slice(0, 6)).size, out).toBe(2);
    // The killed pod restarted once and rejoined; kubectl shows it.
    expect(out).toMatch(/\$ kubectl exec hello-world-flask-\S+ -- killall python3/);
    expect(out).toMatch(/hello-world-flask-\S+\s+1\/1\s+Running\s+1 \(\d+s ago\)/);
    expect(out).toMatch(/Self-healing: python3 killed in \S+; restarted \(RESTARTS 1\)/);
    // The HPA's rows as they change.
    expect(out).toMatch(/cpu: \d+%\/50%\s+2\s+10\s+\d+\s+\S+\s+<- scaled up 2 -> \d+/);
    expect(out).toMatch(/cpu: \d+%\/50%\s+2\s+10\s+2\s+\S+\s+<- scaled down \d+ -> 2/);
    expect(out).toMatch(
      /New size: \d+; reason: cpu resource utilization \(percentage of request\) above target/,
    );
    expect(out).toMatch(/^Autoscaling: replicas 2 -> .* -> 2 \(peak \d+/m);
    expect(out).toMatch(/^Failed requests: 0 \(of \d+ sent through the Ingress\)$/m);
    expect(Date.now() - started).toBeLessThan(180_000);
    await expectNothingLeft(tempDirOf(out), appsBefore);
  }, 240_000);
});

// kill -9 of kubeproc while its pods change underneath: a container killed meanwhile is restarted
// (RESTARTS 1) with its exit recorded, or as ContainerStatusUnknown when its record is gone; one
// that finished under restartPolicy Never ends its pod; one that kept running is adopted with its
// log neither lost nor doubled.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reapPods } from '../../src/node/kubelet/reap.js';
import { detectSandbox } from '../../src/node/sandbox/detect.js';
import { eventually, type Kubeproc } from './harness.js';
import { fixturePod, podReader, type PodReader } from './pods.js';
import { launchKubeproc, tempDir, type Launched } from './processes.js';
import { spawnSync } from 'node:child_process';

const dir = tempDir('kubeproc-restart-');
const dataDir = join(dir, 'data');
const kubeconfig = join(dir, 'kubeconfig');
let running: Launched | undefined;
const sandbox = await detectSandbox();

function kubectl(args: string[], opts: { input?: string } = {}) {
  const r = spawnSync('kubectl', [`--cache-dir=${join(dir, 'cache')}`, ...args], {
    encoding: 'utf8',
    input: opts.input ?? '',
    env: { ...process.env, HOME: dir, KUBECONFIG: kubeconfig },
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

// The pod readers only need kubectl and the data dir: the same shape as the harness's Kubeproc.
const kp = {
  dir,
  kubectl,
  kubectlOk(args: string[], input?: string): string {
    const r = kubectl(args, input === undefined ? {} : { input });
    if (r.code !== 0) {
      throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
    }
    return r.stdout;
  },
} as unknown as Kubeproc;
const pods: PodReader = podReader(kp);

async function start(): Promise<void> {
  running = await launchKubeproc({ dataDir, kubeconfig, home: dir });
}

beforeAll(async () => {
  await start();
});

afterAll(async () => {
  await running?.stop();
  await reapPods(dataDir);
  rmSync(dir, { recursive: true, force: true });
});

describe('kubeproc killed while its pods change', () => {
  it('restarts what died, ends what finished, adopts what kept running', async () => {
    kp.kubectlOk(['apply', '-f', '-'], fixturePod('victim'));
    kp.kubectlOk(['apply', '-f', '-'], fixturePod('survivor'));
    kp.kubectlOk(['apply', '-f', '-'], fixturePod('lost'));
    kp.kubectlOk(
      ['apply', '-f', '-'],
      fixturePod('finisher', {
        args: ['--no-listen', '--exit-code', '3', '--exit-after', '2500'],
        spec: { restartPolicy: 'Never' },
      }),
    );
    for (const name of ['victim', 'survivor', 'finisher', 'lost']) {
      await pods.waitFor(
        `${name} running`,
        name,
        () => pods.get(name, '.status.containerStatuses[0].state.running.startedAt') !== '',
      );
    }
    await pods.waitListening('survivor');
    const victimPid = pods.appPid('victim');
    const lostPid = pods.appPid('lost');
    const lostState = join(
      dataDir,
      'pods',
      pods.get('lost', '.metadata.uid'),
      'app',
      '0.state.json',
    );
    const survivorPid = pods.appPid('survivor');
    const survivorPort = pods.hostPort('survivor');
    const survivorStarted = pods.get('survivor', '.status.containerStatuses[0].state.running');
    await running?.kill9();

    process.kill(victimPid, 'SIGKILL');
    // A run the agent has no record of (its state file gone) cannot be adopted nor explained.
    process.kill(lostPid, 'SIGKILL');
    rmSync(lostState);
    expect((await fetch(`http://127.0.0.1:${survivorPort}/`)).status).toBe(200);
    // Long enough for the finisher to exit while nothing watches it.
    await eventually(
      'the finisher to exit',
      () => spawnSync('pgrep', ['-f', 'exit-after 2500']).status !== 0,
      10_000,
    );

    await start();
    await pods.waitFor('the victim restarted', 'victim', () => pods.restarts('victim') === 1);
    const last = '.status.containerStatuses[0].lastState.terminated';
    expect(pods.get('victim', `${last}.exitCode`)).toBe('137');
    expect(pods.get('victim', `${last}.reason`)).toBe(
      sandbox.pidNamespaces ? 'Error' : 'ContainerStatusUnknown',
    );
    await pods.waitFor('the lost one restarted', 'lost', () => pods.restarts('lost') === 1);
    expect(pods.get('lost', `${last}.exitCode`)).toBe('137');
    expect(pods.get('lost', `${last}.reason`)).toBe('ContainerStatusUnknown');
    expect(pods.get('lost', `${last}.message`)).toBe(
      'The container could not be located when the pod was terminated',
    );
    await pods.waitFor(
      'the finisher ended',
      'finisher',
      () => pods.get('finisher', '.status.phase') === 'Failed',
    );
    if (sandbox.pidNamespaces) {
      expect(pods.get('finisher', '.status.containerStatuses[0].state.terminated.exitCode')).toBe(
        '3',
      );
    }
    expect(pods.restarts('survivor')).toBe(0);
    expect(pods.appPid('survivor')).toBe(survivorPid);
    expect(pods.get('survivor', '.status.containerStatuses[0].state.running')).toBe(
      survivorStarted,
    );
    // The request made while kubeproc was down is in the log once, after the first line.
    await pods.waitFor('the request logged', 'survivor', () =>
      kp.kubectl(['logs', 'survivor']).stdout.includes('GET / HTTP/1.1'),
    );
    const log = kp.kubectlOk(['logs', 'survivor']).split('\n');
    expect(log.filter((l) => l.startsWith('listening on'))).toHaveLength(1);
    expect(log.filter((l) => l === 'GET / HTTP/1.1')).toHaveLength(1);
    kp.kubectlOk(['delete', 'pod', 'victim', 'survivor', 'finisher', 'lost', '--grace-period=1']);
  });
});

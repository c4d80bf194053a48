// Reading pods and their events through the real kubectl, for the node agent's integration tests:
// a fixture-app pod manifest, jsonpath reads, the STATUS row, events, and waits on conditions.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, FIXTURES } from './harness.js';
import type { Kubeproc } from './harness.js';

export const APP = join(FIXTURES, 'app/app.mjs');

export interface PodOptions {
  /** Fixture app flags. */
  args?: string[];
  /** Replaces `node app.mjs ...` as the container's command. */
  command?: string[];
  /** More fields of the container. */
  extra?: Record<string, unknown>;
  /** More fields of the pod spec. */
  spec?: Record<string, unknown>;
}

/** A one-container pod running the fixture app, its port named http, a 2 s grace period. */
export function fixturePod(name: string, opts: PodOptions = {}): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: name } },
    spec: {
      terminationGracePeriodSeconds: 2,
      containers: [
        {
          name: 'app',
          image: 'fixture',
          command: opts.command ?? ['node', APP, ...(opts.args ?? [])],
          ports: [{ name: 'http', containerPort: 8080 }],
          ...opts.extra,
        },
      ],
      ...opts.spec,
    },
  });
}

interface EventItem {
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
}

/** Reads of one kubeproc's pods. */
export function podReader(kp: Kubeproc) {
  const get = (name: string, path: string): string => {
    const r = kp.kubectl(['get', 'pod', name, '-o', `jsonpath={${path}}`]);
    return r.code === 0 ? r.stdout : '';
  };
  const row = (name: string): string =>
    kp.kubectl(['get', 'pod', name, '--no-headers']).stdout.trim().replace(/\s+/g, ' ');
  return {
    get,
    row,
    restarts: (name: string, container = 'app'): number =>
      Number(get(name, `.status.containerStatuses[?(@.name=="${container}")].restartCount`) || 0),
    isReady: (name: string): boolean =>
      get(name, '.status.conditions[?(@.type=="Ready")].status') === 'True',
    /** Host port of a container port (host network mode records them in an annotation). */
    hostPort(name: string, containerPort = 8080): number {
      const map = JSON.parse(get(name, '.metadata.annotations.kubeproc\\.io/port-map') || '{}');
      return Number((map as Record<string, number>)[String(containerPort)]);
    },
    /** Host pid of the container's app process (its current run). */
    appPid(name: string, container = 'app'): number {
      const uid = get(name, '.metadata.uid');
      const restarts = get(
        name,
        `.status.containerStatuses[?(@.name=="${container}")].restartCount`,
      );
      const file = join(kp.dir, 'data/pods', uid, container, `${restarts}.state.json`);
      const state = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; appPid?: number };
      return state.appPid ?? state.pid;
    },
    /** `Reason: message` of each event about the pod, oldest first. */
    events(name: string): string[] {
      const out = kp.kubectlOk([
        'get',
        'events',
        '--field-selector',
        `involvedObject.name=${name}`,
        '--sort-by=.metadata.creationTimestamp',
        '-o',
        'json',
      ]);
      const items = (JSON.parse(out) as { items: EventItem[] }).items;
      return items.map((e) => `${e.reason ?? ''}: ${e.message ?? ''}`);
    },
    /** Waits until the fixture app has printed `listening on` (Running is not yet listening). */
    async waitListening(name: string, timeoutMs = 30_000): Promise<void> {
      await eventually(
        `${name} listening`,
        () => /^listening on /m.test(kp.kubectl(['logs', name]).stdout),
        timeoutMs,
      );
    },
    async waitFor(what: string, name: string, pred: () => boolean, timeoutMs = 30_000) {
      try {
        await eventually(what, pred, timeoutMs);
      } catch (err) {
        const detail = kp.kubectl(['describe', 'pod', name]).stdout;
        throw new Error(`${(err as Error).message}\n${detail}`, { cause: err });
      }
    },
  };
}

export type PodReader = ReturnType<typeof podReader>;

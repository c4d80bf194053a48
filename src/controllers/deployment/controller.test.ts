// The deployment controller against the real API over a memory store. The test plays the
// ReplicaSet controller and kubelet: `tick` writes each RS's status as if its pods had come up.
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createInMemoryApi } from '../../api/in-memory.js';
import type { KubeObject } from '../../apis/meta.js';
import type { Client } from '../../client/client.js';
import { SharedInformerFactory } from '../../client/informer.js';
import { DEPLOYMENTS, EVENTS, PODS, REPLICASETS } from '../../client/resources.js';
import { realClock, type Clock } from '../../lib/clock.js';
import { DeploymentController } from './controller.js';
import type { Deployment, ReplicaSet } from './types.js';
import { computeHash } from './util.js';

const NS = 'default';
const WAIT = { timeout: 10_000, interval: 20 };
const stops: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(stops.splice(0).map((s) => s()));
});

class FakeClock implements Clock {
  private ms = Date.parse('2026-03-01T10:00:00Z');
  now(): Date {
    return new Date(this.ms);
  }
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

/** Runs the controller; time is a FakeClock unless `clock` (e.g. the real one) is given. */
function start(real?: Clock): { client: Client; clock: FakeClock } {
  const fake = new FakeClock();
  const clock = real ?? fake;
  const { client } = createInMemoryApi(() => clock.now());
  const informers = new SharedInformerFactory(client);
  const log = pino({ level: 'silent' });
  const controller = new DeploymentController({ client, informers, log, clock, workers: 2 });
  const abort = new AbortController();
  const running = Promise.all([informers.start(abort.signal), controller.start(abort.signal)]);
  stops.push(async () => {
    abort.abort();
    await running;
  });
  return { client, clock: fake };
}

function manifest(
  replicas: number,
  strategy: Record<string, unknown> = {
    type: 'RollingUpdate',
    rollingUpdate: { maxSurge: 1, maxUnavailable: 1 },
  },
  extra: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: NS, annotations: { 'kubernetes.io/change-cause': 'v1' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      strategy,
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'web:1' }] },
      },
      ...extra,
    },
  };
}

const getDeployment = async (client: Client): Promise<Deployment> =>
  client.get(DEPLOYMENTS, NS, 'web');

async function replicaSets(client: Client): Promise<ReplicaSet[]> {
  const items = (await client.list(REPLICASETS, { namespace: NS })).items as ReplicaSet[];
  return items.sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
}

/** Sizes by image, e.g. `{ 'web:1': 3, 'web:2': 1 }`. */
async function sizes(client: Client): Promise<Record<string, number>> {
  const image = (rs: ReplicaSet): string => rs.spec?.template?.spec?.containers?.[0]?.image ?? '';
  return Object.fromEntries(
    (await replicaSets(client)).map((rs) => [image(rs), rs.spec?.replicas ?? 0]),
  );
}

/** Every RS reports spec.replicas pods, all ready and available (or none available). */
async function tick(client: Client, isAvailable = true): Promise<void> {
  for (const rs of await replicaSets(client)) {
    const n = rs.spec?.replicas ?? 0;
    const status = {
      replicas: n,
      readyReplicas: isAvailable ? n : 0,
      availableReplicas: isAvailable ? n : 0,
      observedGeneration: rs.metadata.generation,
    };
    await client.patch(
      REPLICASETS,
      NS,
      rs.metadata.name ?? '',
      'merge',
      { status },
      { subresource: 'status' },
    );
  }
}

async function setImage(client: Client, clock: FakeClock, image: string, cause?: string) {
  // A later creation time keeps the RS ordering by age unambiguous.
  clock.advance(1);
  const patch = {
    ...(cause ? { metadata: { annotations: { 'kubernetes.io/change-cause': cause } } } : {}),
    spec: { template: { spec: { containers: [{ name: 'web', image }] } } },
  };
  await client.patch(DEPLOYMENTS, NS, 'web', 'strategic', patch);
}

const ROLLED_OUT = 'deployment "web" successfully rolled out';

/** kubectl rollout status's verdict (polymorphichelpers/rollout_status.go, KUBECTL.md §2.11). */
function kubectlRolloutStatus(d: Deployment): string {
  const s = {
    observedGeneration: 0,
    replicas: 0,
    updatedReplicas: 0,
    availableReplicas: 0,
    ...d.status,
  };
  const [want, updated] = [d.spec?.replicas ?? 0, s.updatedReplicas];
  const prefix = `Waiting for deployment "web" rollout to finish:`;
  const verdicts: [boolean, string][] = [
    [
      (d.metadata.generation ?? 0) > s.observedGeneration,
      'Waiting for deployment spec update to be observed...',
    ],
    [
      !!s.conditions?.some((c) => c.reason === 'ProgressDeadlineExceeded'),
      'error: deployment "web" exceeded its progress deadline',
    ],
    [updated < want, `${prefix} ${updated} out of ${want} new replicas have been updated...`],
    [
      s.replicas > updated,
      `${prefix} ${s.replicas - updated} old replicas are pending termination...`,
    ],
    [
      s.availableReplicas < updated,
      `${prefix} ${s.availableReplicas} of ${updated} updated replicas are available...`,
    ],
  ];
  return verdicts.find(([hit]) => hit)?.[1] ?? ROLLED_OUT;
}

/** REVISION, CHANGE-CAUSE (as `kubectl rollout history` prints them) and size of an RS. */
function historyRow(rs: ReplicaSet): string[] {
  const a = { ...rs.metadata.annotations };
  return [
    a['deployment.kubernetes.io/revision'] ?? '',
    a['kubernetes.io/change-cause'] ?? '',
    String(rs.spec?.replicas),
  ];
}

const SKIPPED = [
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
];

/** What `kubectl rollout undo` sends: the RS template without its hash, and its annotations. */
async function kubectlUndo(client: Client, rs: ReplicaSet | undefined): Promise<void> {
  const template = structuredClone(rs?.spec?.template ?? {});
  delete template.metadata?.labels?.['pod-template-hash'];
  const d = await getDeployment(client);
  const kept = Object.entries({ ...d.metadata.annotations }).filter(([k]) => SKIPPED.includes(k));
  const copied = Object.entries({ ...rs?.metadata.annotations }).filter(
    ([k]) => !SKIPPED.includes(k),
  );
  await client.patch(DEPLOYMENTS, NS, 'web', 'json', [
    { op: 'replace', path: '/spec/template', value: template },
    {
      op: 'replace',
      path: '/metadata/annotations',
      value: Object.fromEntries([...kept, ...copied]),
    },
  ]);
}

async function scalingEvents(client: Client): Promise<string[]> {
  const events = (await client.list(EVENTS, { namespace: NS })).items.filter(
    (e) => e.reason === 'ScalingReplicaSet',
  );
  events.sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
  return events.map((e) => String(e.message));
}

/** Ticks until kubectl would call the rollout done. */
async function completeRollout(client: Client): Promise<void> {
  await expect
    .poll(async () => {
      await tick(client);
      return kubectlRolloutStatus(await getDeployment(client));
    }, WAIT)
    .toBe(ROLLED_OUT);
}

describe('DeploymentController', () => {
  it('creates an owned, annotated replica set at the desired replicas and reports status', async () => {
    const { client } = start();
    const created = (await client.create(
      DEPLOYMENTS,
      manifest(3, { type: 'RollingUpdate' }),
    )) as Deployment;
    const hash = computeHash(created.spec?.template);
    const name = `web-${hash}`;
    await expect
      .poll(async () => (await replicaSets(client)).map((r) => r.metadata.name), WAIT)
      .toEqual([name]);
    const [rs] = await replicaSets(client);
    expect(rs?.metadata).toMatchObject({
      labels: { app: 'web', 'pod-template-hash': hash },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'web',
          uid: created.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      annotations: {
        'deployment.kubernetes.io/revision': '1',
        'deployment.kubernetes.io/desired-replicas': '3',
        'deployment.kubernetes.io/max-replicas': '4',
        'kubernetes.io/change-cause': 'v1',
      },
    });
    expect(rs?.spec).toMatchObject({
      replicas: 3,
      selector: { matchLabels: { app: 'web', 'pod-template-hash': hash } },
      template: { metadata: { labels: { app: 'web', 'pod-template-hash': hash } } },
    });
    await expect
      .poll(
        async () =>
          (await getDeployment(client)).status?.conditions?.map((c) => [
            c.type,
            c.status,
            c.reason,
            c.message,
          ]),
        WAIT,
      )
      .toEqual([
        ['Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${name}"`],
        [
          'Available',
          'False',
          'MinimumReplicasUnavailable',
          'Deployment does not have minimum availability.',
        ],
      ]);
    expect(kubectlRolloutStatus(await getDeployment(client))).toBe(
      'Waiting for deployment "web" rollout to finish: 0 out of 3 new replicas have been updated...',
    );
    await completeRollout(client);
    const d = await getDeployment(client);
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(d.status).toMatchObject({
      observedGeneration: 1,
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
    });
    expect(d.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
      [
        'Progressing',
        'True',
        'NewReplicaSetAvailable',
        `ReplicaSet "${name}" has successfully progressed.`,
      ],
    ]);
    expect(await scalingEvents(client)).toEqual([`Scaled up replica set ${name} to 3`]);
  });

  it('rolls a new template out within maxSurge and maxUnavailable', async () => {
    const { client, clock } = start();
    await client.create(DEPLOYMENTS, manifest(4));
    await completeRollout(client);
    const [v1] = await replicaSets(client);
    await setImage(client, clock, 'web:2');
    const steps: Record<string, number>[] = [];
    // Each state below is where the controller stops until pods become available.
    for (const expected of [
      { 'web:1': 3, 'web:2': 2 },
      { 'web:1': 1, 'web:2': 4 },
      { 'web:1': 0, 'web:2': 4 },
    ]) {
      await expect.poll(() => sizes(client), WAIT).toEqual(expected);
      steps.push(expected);
      await tick(client);
    }
    await completeRollout(client);
    const v2 = (await replicaSets(client)).find((rs) => rs.metadata.uid !== v1?.metadata.uid);
    const [old, fresh] = [v1?.metadata.name, v2?.metadata.name];
    expect(await scalingEvents(client)).toEqual([
      `Scaled up replica set ${old} to 4`,
      `Scaled up replica set ${fresh} to 1`,
      `Scaled down replica set ${old} to 3 from 4`,
      `Scaled up replica set ${fresh} to 2 from 1`,
      `Scaled down replica set ${old} to 1 from 3`,
      `Scaled up replica set ${fresh} to 4 from 2`,
      `Scaled down replica set ${old} to 0 from 1`,
    ]);
    expect(v2?.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    const d = await getDeployment(client);
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(d.status).toMatchObject({
      observedGeneration: 2,
      replicas: 4,
      updatedReplicas: 4,
      availableReplicas: 4,
    });
  });

  it('Recreate scales the old replica set to 0 and waits for its pods before the new one', async () => {
    const { client, clock } = start();
    await client.create(DEPLOYMENTS, manifest(3, { type: 'Recreate' }));
    await completeRollout(client);
    const [v1] = await replicaSets(client);
    const pod = {
      metadata: {
        name: 'web-old-pod',
        namespace: NS,
        labels: { ...v1?.spec?.template?.metadata?.labels },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: v1?.metadata.name ?? '',
            uid: v1?.metadata.uid ?? '',
            controller: true,
          },
        ],
      },
      spec: { containers: [{ name: 'web', image: 'web:1' }] },
    };
    await client.create(PODS, pod);
    await setImage(client, clock, 'web:2');
    await expect.poll(() => sizes(client), WAIT).toEqual({ 'web:1': 0 });
    await tick(client);
    // The RS reports no pods, but a pod of it still runs: no new RS yet.
    await expect
      .poll(async () => (await getDeployment(client)).status?.replicas ?? 0, WAIT)
      .toBe(0);
    expect(await sizes(client)).toEqual({ 'web:1': 0 });
    await client.delete(PODS, NS, 'web-old-pod', { gracePeriodSeconds: 0 });
    await expect.poll(() => sizes(client), WAIT).toEqual({ 'web:1': 0, 'web:2': 3 });
    await completeRollout(client);
    const events = await scalingEvents(client);
    expect(events.slice(1)).toEqual([
      `Scaled down replica set ${v1?.metadata.name} to 0 from 3`,
      expect.stringMatching(/^Scaled up replica set web-\w+ to 3$/),
    ]);
  });

  it('scales a rollout in progress proportionally', async () => {
    const { client, clock } = start();
    const strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } };
    await client.create(DEPLOYMENTS, manifest(10, strategy));
    await completeRollout(client);
    await setImage(client, clock, 'web:2');
    await expect.poll(() => sizes(client), WAIT).toEqual({ 'web:1': 8, 'web:2': 5 });
    await client.patch(DEPLOYMENTS, NS, 'web', 'merge', { spec: { replicas: 20 } });
    // 13 pods sized for 10+3 become 23 for 20+3, each RS growing by its share.
    await expect.poll(() => sizes(client), WAIT).toEqual({ 'web:1': 14, 'web:2': 9 });
    const rsList = await replicaSets(client);
    expect(
      rsList.map((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas']),
    ).toEqual(['20', '20']);
    expect(
      rsList.map((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/max-replicas']),
    ).toEqual(['23', '23']);
    await completeRollout(client);
    expect(await sizes(client)).toEqual({ 'web:1': 0, 'web:2': 20 });
  });

  it('copies minReadySeconds onto the replica set and keeps it in step', async () => {
    const { client } = start();
    await client.create(DEPLOYMENTS, manifest(1, undefined, { minReadySeconds: 5 }));
    await expect
      .poll(async () => (await replicaSets(client))[0]?.spec?.minReadySeconds, WAIT)
      .toBe(5);
    await client.patch(DEPLOYMENTS, NS, 'web', 'merge', { spec: { minReadySeconds: 7 } });
    await expect
      .poll(async () => (await replicaSets(client))[0]?.spec?.minReadySeconds, WAIT)
      .toBe(7);
    expect(await replicaSets(client)).toHaveLength(1);
  });

  it('rolls back to an old template by reusing its replica set at revision max+1', async () => {
    const { client, clock } = start();
    await client.create(DEPLOYMENTS, manifest(2));
    await completeRollout(client);
    await setImage(client, clock, 'web:2', 'v2');
    await completeRollout(client);
    const history = async (): Promise<string[][]> =>
      (await replicaSets(client)).map(historyRow).sort((a, b) => Number(a[0]) - Number(b[0]));
    expect(await history()).toEqual([
      ['1', 'v1', '0'],
      ['2', 'v2', '2'],
    ]);
    const v1 = (await replicaSets(client)).find((rs) => historyRow(rs)[0] === '1');
    clock.advance(1);
    await kubectlUndo(client, v1);
    await completeRollout(client);
    expect(await history()).toEqual([
      ['2', 'v2', '0'],
      ['3', 'v1', '2'],
    ]);
    const reused = (await replicaSets(client)).find((rs) => rs.metadata.uid === v1?.metadata.uid);
    expect(reused?.metadata.annotations?.['deployment.kubernetes.io/revision-history']).toBe('1');
    const after = await getDeployment(client);
    expect(after.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect(after.status?.conditions?.find((c) => c.type === 'Progressing')?.message).toBe(
      `ReplicaSet "${v1?.metadata.name}" has successfully progressed.`,
    );
  });

  it('keeps only revisionHistoryLimit old replica sets that are scaled down', async () => {
    const { client, clock } = start();
    await client.create(DEPLOYMENTS, manifest(1, undefined, { revisionHistoryLimit: 1 }));
    for (const image of ['web:2', 'web:3']) {
      await completeRollout(client);
      await setImage(client, clock, image);
    }
    await completeRollout(client);
    await expect.poll(() => sizes(client), WAIT).toEqual({ 'web:2': 0, 'web:3': 1 });
  });

  it('does not roll out while paused, but still scales, and resumes', async () => {
    const { client, clock } = start();
    const progressing: string[] = [];
    const informers = new SharedInformerFactory(client);
    informers.informerFor(DEPLOYMENTS).addEventHandler({
      onUpdate: (_old, obj) => {
        const reason = (obj as Deployment).status?.conditions?.find(
          (c) => c.type === 'Progressing',
        )?.reason;
        if (reason && progressing[progressing.length - 1] !== reason) {
          progressing.push(reason);
        }
      },
    });
    const abort = new AbortController();
    const watching = informers.start(abort.signal);
    stops.push(async () => {
      abort.abort();
      await watching;
    });
    await client.create(DEPLOYMENTS, manifest(2));
    await completeRollout(client);
    await client.patch(DEPLOYMENTS, NS, 'web', 'merge', { spec: { paused: true } });
    await expect
      .poll(async () => {
        const c = (await getDeployment(client)).status?.conditions?.find(
          (x) => x.type === 'Progressing',
        );
        return [c?.status, c?.reason, c?.message];
      }, WAIT)
      .toEqual(['Unknown', 'DeploymentPaused', 'Deployment is paused']);
    await setImage(client, clock, 'web:2');
    await client.patch(DEPLOYMENTS, NS, 'web', 'merge', { spec: { replicas: 4 } });
    await expect.poll(() => sizes(client), WAIT).toEqual({ 'web:1': 4 });
    const d = await getDeployment(client);
    await expect
      .poll(async () => (await getDeployment(client)).status?.observedGeneration, WAIT)
      .toBe(d.metadata.generation);
    expect(await sizes(client)).toEqual({ 'web:1': 4 });
    await client.patch(DEPLOYMENTS, NS, 'web', 'merge', { spec: { paused: false } });
    await completeRollout(client);
    expect(await sizes(client)).toEqual({ 'web:1': 0, 'web:2': 4 });
    expect(progressing).toEqual(
      expect.arrayContaining([
        'DeploymentPaused',
        'DeploymentResumed',
        'NewReplicaSetCreated',
        'NewReplicaSetAvailable',
      ]),
    );
    expect(progressing.indexOf('DeploymentResumed')).toBeGreaterThan(
      progressing.indexOf('DeploymentPaused'),
    );
  });

  it('reports ProgressDeadlineExceeded once a rollout stalls past its deadline', async () => {
    const { client } = start(realClock);
    await client.create(DEPLOYMENTS, manifest(1, undefined, { progressDeadlineSeconds: 1 }));
    // No tick: the pods never become available, and nothing else wakes the controller.
    await expect
      .poll(async () => {
        const c = (await getDeployment(client)).status?.conditions?.find(
          (x) => x.type === 'Progressing',
        );
        return [c?.status, c?.reason, c?.message?.replace(/"web-\w+"/, '"web-*"')];
      }, WAIT)
      .toEqual([
        'False',
        'ProgressDeadlineExceeded',
        'ReplicaSet "web-*" has timed out progressing.',
      ]);
    expect(kubectlRolloutStatus(await getDeployment(client))).toBe(
      'error: deployment "web" exceeded its progress deadline',
    );
  });

  it('picks another name when the hash collides with a replica set it does not own', async () => {
    const { client } = start();
    const paused = (await client.create(
      DEPLOYMENTS,
      manifest(1, undefined, { paused: true }),
    )) as Deployment;
    const hash = computeHash(paused.spec?.template);
    const squatter = {
      metadata: { name: `web-${hash}`, namespace: NS, labels: { app: 'other' } },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'other' } },
        template: {
          metadata: { labels: { app: 'other' } },
          spec: { containers: [{ name: 'x', image: 'x' }] },
        },
      },
    };
    await client.create(REPLICASETS, squatter);
    await client.patch(DEPLOYMENTS, NS, 'web', 'merge', { spec: { paused: false } });
    const next = `web-${computeHash(paused.spec?.template, 1)}`;
    await expect
      .poll(async () => (await replicaSets(client)).map((rs) => rs.metadata.name).sort(), WAIT)
      .toEqual([`web-${hash}`, next].sort());
    expect((await getDeployment(client)).status?.collisionCount).toBe(1);
    await completeRollout(client);
  });

  it('adopts a matching orphan as its new replica set, and releases one that stops matching', async () => {
    const { client } = start();
    const template = (
      manifest(2).spec as { template: { metadata: { labels: Record<string, string> } } }
    ).template;
    // Fresh objects each: the in-process client stores what it is given, shared parts included.
    const labels = (): Record<string, string> => ({ app: 'web', 'pod-template-hash': 'orphan' });
    await client.create(REPLICASETS, {
      metadata: { name: 'web-orphan', namespace: NS, labels: labels() },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels() },
        template: { ...structuredClone(template), metadata: { labels: labels() } },
      },
    });
    const d = (await client.create(DEPLOYMENTS, manifest(2))) as Deployment;
    await expect
      .poll(
        async () =>
          (await replicaSets(client)).map((rs) => [
            rs.metadata.name,
            rs.metadata.ownerReferences?.[0]?.uid,
          ]),
        WAIT,
      )
      .toEqual([['web-orphan', d.metadata.uid]]);
    await expect
      .poll(async () => {
        const c = (await getDeployment(client)).status?.conditions?.find(
          (x) => x.type === 'Progressing',
        );
        return [c?.status, c?.reason, c?.message];
      }, WAIT)
      .toEqual(['True', 'FoundNewReplicaSet', 'Found new replica set "web-orphan"']);
    await completeRollout(client);
    expect(
      (await replicaSets(client))[0]?.metadata.annotations?.['deployment.kubernetes.io/revision'],
    ).toBe('1');
    await client.patch(REPLICASETS, NS, 'web-orphan', 'merge', {
      metadata: { labels: { app: 'gone' } },
    });
    await expect
      .poll(
        async () =>
          (await replicaSets(client)).find((rs) => rs.metadata.name === 'web-orphan')?.metadata
            .ownerReferences,
        WAIT,
      )
      .toBeUndefined();
    await expect.poll(async () => (await replicaSets(client)).length, WAIT).toBe(2);
  });
});

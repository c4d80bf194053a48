// Watch-driven kubectl flows: `get -w` with event types, label and field selectors, `wait
// --for=delete`, `delete --wait` on a finalizer, and events selected by involvedObject.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startKubeproc } from './harness.js';
import type { Kubeproc } from './harness.js';
import { kubectlChild } from './processes.js';
import type { KubectlChild } from './processes.js';

let kp: Kubeproc;
const NS = 'watching';
const children: KubectlChild[] = [];

beforeAll(async () => {
  kp = await startKubeproc();
  ok(['create', 'namespace', NS]);
});

afterAll(async () => {
  await Promise.all(children.map((c) => c.kill()));
  await kp?.stop();
});

function ok(args: string[], input?: string): string {
  const r = kp.kubectl(args, input === undefined ? {} : { input });
  if (r.code !== 0) {
    throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
  }
  return r.stdout;
}

function watch(args: string[]): KubectlChild {
  const child = kubectlChild(kp, [...args, '-n', NS]);
  children.push(child);
  return child;
}

/** The rows a watch printed for one object name (second column with --output-watch-events). */
const rowsFor = (w: KubectlChild, name: string): string[] =>
  w.lines().filter((l) => l.split(/\s+/)[1] === name);

describe('kubectl get -w --output-watch-events', () => {
  it('shows ADDED, MODIFIED and DELETED rows for deployments', async () => {
    ok(['create', 'deployment', 'before', '-n', NS, '--image=nginx']);
    const w = watch(['get', 'deployments', '-w', '--output-watch-events']);
    await w.waitForLine('the header', (l) =>
      /^EVENT\s+NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/.test(l),
    );
    await w.waitForLine('the listed deployment', (l) =>
      /^ADDED\s+before\s+\d+\/1\s+\d+\s+\d+\s+\d+s$/.test(l),
    );
    ok(['create', 'deployment', 'd1', '-n', NS, '--image=nginx']);
    await w.waitForLine('ADDED d1', (l) => /^ADDED\s+d1\s+\d+\/1\s+/.test(l));
    ok(['scale', 'deployment', 'd1', '-n', NS, '--replicas=3']);
    await w.waitForLine('MODIFIED d1', (l) => /^MODIFIED\s+d1\s+\d+\/3\s+/.test(l));
    ok(['delete', 'deployment', 'd1', '-n', NS]);
    await w.waitForLine('DELETED d1', (l) => /^DELETED\s+d1\s+\d+\/3\s+/.test(l));
    const types = rowsFor(w, 'd1').map((l) => l.split(/\s+/)[0]);
    expect(types[0]).toBe('ADDED');
    expect(types.at(-1)).toBe('DELETED');
    expect(types.slice(1, -1).every((t) => t === 'MODIFIED')).toBe(true);
    expect(w.exitCode()).toBeNull();
  });
});

describe('waiting for deletion', () => {
  it('completes kubectl wait --for=delete when the deployment goes', async () => {
    ok(['create', 'deployment', 'd2', '-n', NS, '--image=nginx']);
    const waiter = watch(['wait', '--for=delete', 'deployment/d2', '--timeout=60s', '-v=6']);
    // Delete only once kubectl's watch is open; earlier, kubectl finds nothing to wait for.
    await eventually('kubectl wait to open its watch', () =>
      /GET \S+watch=true\S* 200 OK/.test(waiter.stderr()),
    );
    expect(waiter.exitCode()).toBeNull();
    ok(['delete', 'deployment', 'd2', '-n', NS, '--wait=false']);
    expect(await waiter.exited).toBe(0);
    expect(waiter.lines()).toEqual(['deployment.apps/d2 condition met']);
  });

  it('holds kubectl delete --wait and wait --for=delete until the last finalizer is removed', async () => {
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'held', finalizers: ['example.com/hold'] },
    };
    ok(['create', '-n', NS, '-f', '-'], JSON.stringify(cm));
    const deleter = watch(['delete', 'configmap', 'held', '--wait=true', '--timeout=60s']);
    await eventually(
      'deletionTimestamp on the held configmap',
      () =>
        kp.kubectl([
          'get',
          'configmap',
          'held',
          '-n',
          NS,
          '-o',
          'jsonpath={.metadata.deletionTimestamp}',
        ]).stdout !== '',
    );
    const waiter = watch(['wait', '--for=delete', 'configmap/held', '--timeout=60s']);
    // The object is still there (terminating), so neither may have finished.
    expect(ok(['get', 'configmap', 'held', '-n', NS, '-o', 'name'])).toBe('configmap/held\n');
    expect(deleter.exitCode()).toBeNull();
    expect(waiter.exitCode()).toBeNull();
    ok([
      'patch',
      'configmap',
      'held',
      '-n',
      NS,
      '--type=merge',
      '-p',
      '{"metadata":{"finalizers":null}}',
    ]);
    expect(await deleter.exited).toBe(0);
    expect(await waiter.exited).toBe(0);
    expect(deleter.lines()).toEqual(['configmap "held" deleted']);
    expect(waiter.lines()).toEqual(['configmap/held condition met']);
    expect(kp.kubectl(['get', 'configmap', 'held', '-n', NS]).code).toBe(1);
  });
});

describe('selectors on watches', () => {
  it('shows only objects matching a label selector, entering and leaving it', async () => {
    ok(['create', 'configmap', 'l-pre-yes', '-n', NS]);
    ok(['label', 'configmap', 'l-pre-yes', '-n', NS, 'sel=yes']);
    const w = watch(['get', 'configmaps', '-w', '--output-watch-events', '-l', 'sel=yes']);
    await w.waitForLine('the listed match', (l) => /^ADDED\s+l-pre-yes\s/.test(l));
    for (const [name, value] of [
      ['l-a', 'yes'],
      ['l-b', 'no'],
    ] as const) {
      ok(['create', 'configmap', name, '-n', NS]);
      ok(['label', 'configmap', name, '-n', NS, `sel=${value}`]);
    }
    ok(['create', 'configmap', 'l-c', '-n', NS]);
    await w.waitForLine('l-a entering the selection', (l) => /^ADDED\s+l-a\s/.test(l));
    ok(['label', 'configmap', 'l-b', '-n', NS, 'sel=yes', '--overwrite']);
    await w.waitForLine('l-b entering the selection', (l) => /^ADDED\s+l-b\s/.test(l));
    ok(['label', 'configmap', 'l-a', '-n', NS, 'sel=no', '--overwrite']);
    await w.waitForLine('l-a leaving the selection', (l) => /^DELETED\s+l-a\s/.test(l));
    ok(['delete', 'configmap', 'l-b', '-n', NS]);
    await w.waitForLine('l-b deleted', (l) => /^DELETED\s+l-b\s/.test(l));
    expect(rowsFor(w, 'l-a').map((l) => l.split(/\s+/)[0])).toEqual(['ADDED', 'DELETED']);
    expect(rowsFor(w, 'l-b').map((l) => l.split(/\s+/)[0])).toEqual(['ADDED', 'DELETED']);
    expect(rowsFor(w, 'l-c')).toEqual([]);
  });

  it('shows only the named object with a metadata.name field selector', async () => {
    const w = watch([
      'get',
      'configmaps',
      '-w',
      '--output-watch-events',
      '--field-selector',
      'metadata.name=f1',
    ]);
    for (const name of ['f2', 'f1']) {
      ok(['create', 'configmap', name, '-n', NS, '--from-literal=a=1']);
    }
    await w.waitForLine('ADDED f1', (l) => /^ADDED\s+f1\s+1\s/.test(l));
    for (const name of ['f2', 'f1']) {
      ok(['patch', 'configmap', name, '-n', NS, '--type=merge', '-p', '{"data":{"b":"2"}}']);
    }
    await w.waitForLine('MODIFIED f1', (l) => /^MODIFIED\s+f1\s+2\s/.test(l));
    for (const name of ['f2', 'f1']) {
      ok(['delete', 'configmap', name, '-n', NS]);
    }
    await w.waitForLine('DELETED f1', (l) => /^DELETED\s+f1\s/.test(l));
    expect(
      w
        .lines()
        .slice(1)
        .map((l) => l.split(/\s+/).slice(0, 2).join(' ')),
    ).toEqual(['ADDED f1', 'MODIFIED f1', 'DELETED f1']);
  });

  it('follows one object by name (kubectl get NAME -w)', async () => {
    ok(['create', 'configmap', 'one', '-n', NS, '--from-literal=a=1']);
    ok(['create', 'configmap', 'other', '-n', NS]);
    const w = watch(['get', 'configmap', 'one', '-w']);
    await w.waitForLine('the current row', (l) => /^one\s+1\s+\d+s$/.test(l));
    ok(['patch', 'configmap', 'other', '-n', NS, '--type=merge', '-p', '{"data":{"x":"1"}}']);
    ok(['patch', 'configmap', 'one', '-n', NS, '--type=merge', '-p', '{"data":{"b":"2"}}']);
    await w.waitForLine('the modified row', (l) => /^one\s+2\s+\d+s$/.test(l));
    expect(w.lines().filter((l) => l.startsWith('other'))).toEqual([]);
  });
});

describe('events by involved object', () => {
  const event = (name: string, object: string, reason: string) => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name },
    involvedObject: { apiVersion: 'v1', kind: 'ConfigMap', name: object, namespace: NS },
    reason,
    message: `${reason} happened to ${object}`,
    type: 'Normal',
    count: 1,
    firstTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    lastTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    source: { component: 'integration-test' },
  });

  it('lists only the events of one object with --field-selector involvedObject.name', () => {
    const items = [
      event('x.1', 'x', 'Created'),
      event('x.2', 'x', 'Updated'),
      event('y.1', 'y', 'Created'),
    ];
    ok(['create', '-n', NS, '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
    const out = ok(['get', 'events', '-n', NS, '--field-selector', 'involvedObject.name=x']);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    expect(
      lines
        .slice(1)
        .map((l) => l.replace(/^\S+\s+/, '').replace(/\s+/g, ' '))
        .sort(),
    ).toEqual([
      'Normal Created configmap/x Created happened to x',
      'Normal Updated configmap/x Updated happened to x',
    ]);
    const both = ok([
      'get',
      'events',
      '-n',
      NS,
      '--field-selector',
      'involvedObject.kind=ConfigMap,reason=Created',
      '-o',
      'name',
    ]);
    expect(both.trim().split('\n').sort()).toEqual(['event/x.1', 'event/y.1']);
    const none = kp.kubectl([
      'get',
      'events',
      '-n',
      NS,
      '--field-selector',
      'involvedObject.name=z',
    ]);
    expect(none.stdout).toBe('');
    expect(none.stderr.trim()).toBe(`No resources found in ${NS} namespace.`);
  });
});

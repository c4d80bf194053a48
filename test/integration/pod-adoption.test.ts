// A kubeproc restart (SIGTERM, then up again on the same data dir) in isolated mode: the pod is
// adopted, not restarted, and keeps its IP, hostname and mounts; exec still works, its configMap
// volume still follows the ConfigMap, and its Service's ClusterIP answers again.
import { rmSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reapPods } from '../../src/node/kubelet/reap.js';
import { eventually, isolatedNetwork } from './harness.js';
import { kubectlIn, launchKubeproc, tempDir, type Launched } from './processes.js';

const ISOLATED = isolatedNetwork().args;

const dir = tempDir('kubeproc-adopt-');
const dataDir = join(dir, 'data');
const kubeconfig = join(dir, 'kubeconfig');
let kp: Launched | undefined;

afterAll(async () => {
  await kp?.stop();
  await reapPods(dataDir);
  rmSync(dir, { recursive: true, force: true });
});

const kubectl = kubectlIn(dir, kubeconfig);

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = get(url, { agent: false, timeout: 3_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

const POD = `
apiVersion: v1
kind: Pod
metadata: { name: web, labels: { app: web } }
spec:
  volumes: [{ name: cfg, configMap: { name: web-config } }]
  containers:
  - name: app
    image: x
    command: [python3, -m, http.server, "5000"]
    ports: [{ containerPort: 5000 }]
    volumeMounts: [{ name: cfg, mountPath: /etc/web }]
`;

interface Seen {
  uid: string;
  ip: string;
  containerID: string;
  restarts: string;
}

function seen(): Seen {
  const out = kubectl([
    'get',
    'pod',
    'web',
    '-o',
    'jsonpath={.metadata.uid} {.status.podIP} {.status.containerStatuses[0].containerID} {.status.containerStatuses[0].restartCount}',
  ]);
  const [uid = '', ip = '', containerID = '', restarts = ''] = out.split(' ');
  return { uid, ip, containerID, restarts };
}

async function serving(ip: string, clusterIP: string): Promise<void> {
  await eventually(
    `${ip}:5000 answering`,
    async () => (await httpStatus(`http://${ip}:5000/`)) === 200,
    30_000,
  );
  await eventually(
    `ClusterIP ${clusterIP}:5000 answering`,
    async () => (await httpStatus(`http://${clusterIP}:5000/`)) === 200,
    30_000,
  );
}

describe('adoption after a kubeproc restart in isolated mode', () => {
  it('keeps the pod IP, exec, volume updates and the Service ClusterIP', async () => {
    kp = await launchKubeproc({ dataDir, kubeconfig, home: dir, args: ISOLATED });
    kubectl(['create', 'configmap', 'web-config', '--from-literal=greeting=one']);
    kubectl(['apply', '-f', '-'], POD);
    kubectl(['expose', 'pod', 'web', '--port', '5000']);
    await eventually(
      'pod web Running',
      () => kubectl(['get', 'pod', 'web', '-o', 'jsonpath={.status.phase}']) === 'Running',
      30_000,
    );
    const before = seen();
    const clusterIP = kubectl(['get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}']);
    await serving(before.ip, clusterIP);

    await kp.stop();
    kp = await launchKubeproc({ dataDir, kubeconfig, home: dir, args: ISOLATED });
    // The restarted agent reports the same container, not a new one.
    await eventually(
      'the pod reported Ready again',
      () =>
        kubectl([
          'get',
          'pod',
          'web',
          '-o',
          'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
        ]) === 'True',
    );
    expect(seen()).toEqual(before);
    await serving(before.ip, clusterIP);
    expect(kubectl(['exec', 'web', '--', 'hostname']).trim()).toBe('web');
    expect(kubectl(['exec', 'web', '--', 'cat', '/etc/web/greeting'])).toBe('one');

    kubectl(['patch', 'configmap', 'web-config', '-p', '{"data":{"greeting":"two"}}']);
    await eventually(
      'the volume to follow the ConfigMap',
      () => kubectl(['exec', 'web', '--', 'cat', '/etc/web/greeting']) === 'two',
    );
    const script = `import urllib.request; print(urllib.request.urlopen('http://web:5000/', timeout=5).status)`;
    expect(kubectl(['exec', 'web', '--', 'python3', '-c', script]).trim()).toBe('200');
  }, 120_000);
});

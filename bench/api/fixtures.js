// Request bodies for the benchmark: a realistic Deployment-style Pod (~1.5 KB of JSON with a
// container, resources, probes, labels) and a small ConfigMap, both deterministic by index.

/** A Pod as a Deployment's ReplicaSet would create it; `i` makes names and values unique. */
export function podBody(namespace, name, i) {
  const app = `web-${i % 10}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels: {
        app,
        tier: 'frontend',
        'pod-template-hash': '5d4f8c9b7',
        'app.kubernetes.io/part-of': 'shop',
      },
      annotations: {
        'kubectl.kubernetes.io/default-container': 'app',
        'bench.kubeproc.dev/index': String(i),
      },
    },
    spec: {
      containers: [
        {
          name: 'app',
          image: `registry.example.com/shop/${app}:1.4.${i % 7}`,
          args: ['--listen=:8080', '--log-format=json', '--cache-size=256Mi'],
          ports: [
            { name: 'http', containerPort: 8080, protocol: 'TCP' },
            { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
          ],
          env: [
            { name: 'APP_ENV', value: 'production' },
            { name: 'APP_REGION', value: 'eu-west-1' },
            { name: 'POD_INDEX', value: String(i) },
          ],
          resources: {
            requests: { cpu: '250m', memory: '256Mi' },
            limits: { cpu: '1', memory: '512Mi' },
          },
          readinessProbe: {
            httpGet: { path: '/healthz', port: 8080 },
            periodSeconds: 5,
            failureThreshold: 3,
          },
          livenessProbe: {
            httpGet: { path: '/livez', port: 8080 },
            initialDelaySeconds: 10,
            periodSeconds: 10,
          },
          volumeMounts: [{ name: 'config', mountPath: '/etc/app', readOnly: true }],
          securityContext: { runAsNonRoot: true, runAsUser: 1000, allowPrivilegeEscalation: false },
        },
      ],
      volumes: [{ name: 'config', configMap: { name: `${app}-config` } }],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      serviceAccountName: 'default',
      tolerations: [
        {
          key: 'node.kubernetes.io/not-ready',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
        {
          key: 'node.kubernetes.io/unreachable',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
      ],
    },
  };
}

/** A ConfigMap of about 300 bytes. */
export function configMapBody(namespace, name, i) {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace,
      labels: { app: `web-${i % 10}`, 'app.kubernetes.io/part-of': 'shop' },
    },
    data: {
      'app.properties': `index=${i}\ncache.size=256Mi\nlog.format=json\n`,
      'feature-flags': 'checkout=on,search=off',
    },
  };
}

/** A Namespace body. */
export function namespaceBody(name) {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

/** Zero-padded names keep list order equal to creation order. */
export function nameOf(prefix, i) {
  return `${prefix}-${String(i).padStart(5, '0')}`;
}

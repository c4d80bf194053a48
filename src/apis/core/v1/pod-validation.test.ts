// Pod validation, one broken field at a time, against upstream's field paths and messages.
import { describe, expect, it } from 'vitest';
import { coreV1Strategies } from './strategies.js';
import type { Container, Pod } from './types.js';

const strategy = coreV1Strategies.Pod!;

function validPod(): Pod {
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      volumes: [{ name: 'data', emptyDir: {} }],
      containers: [
        {
          name: 'app',
          image: 'node:20',
          ports: [{ name: 'http', containerPort: 8080 }],
          env: [{ name: 'PORT', value: '8080' }],
          resources: { requests: { cpu: '100m' }, limits: { cpu: '1', memory: '128Mi' } },
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
          readinessProbe: { httpGet: { port: 'http' } },
          livenessProbe: { tcpSocket: { port: 8080 } },
        },
      ],
    },
  };
  strategy.default!(pod);
  return pod;
}

const app = (pod: Pod): Container => pod.spec!.containers![0]!;
const check = (pod: Pod): string[] => strategy.validate!(pod).map((e) => `${e.field}: ${e.detail}`);

describe('Pod validation', () => {
  it('accepts a defaulted valid pod', () => {
    expect(check(validPod())).toEqual([]);
  });

  it.each<[string, (p: Pod) => void, string[]]>([
    ['no containers', (p) => (p.spec!.containers = []), ['spec.containers: Required value']],
    ['no image', (p) => delete app(p).image, ['spec.containers[0].image: Required value']],
    [
      'image whitespace',
      (p) => (app(p).image = ' nginx'),
      [
        'spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace',
      ],
    ],
    [
      'duplicate container name',
      (p) => p.spec!.containers!.push({ ...structuredClone(app(p)), ports: [] }),
      ['spec.containers[1].name: Duplicate value: "app"'],
    ],
    [
      'bad container name',
      (p) => (app(p).name = 'App'),
      [
        `spec.containers[0].name: Invalid value: "App": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      ],
    ],
    [
      'port out of range',
      (p) => (app(p).ports![0]!.containerPort = 70000),
      [
        'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      ],
    ],
    [
      'port missing',
      (p) => delete app(p).ports![0]!.containerPort,
      ['spec.containers[0].ports[0].containerPort: Required value'],
    ],
    [
      'protocol',
      (p) => (app(p).ports![0]!.protocol = 'HTTP'),
      [
        'spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      ],
    ],
    [
      'pull policy',
      (p) => (app(p).imagePullPolicy = 'Foo'),
      [
        'spec.containers[0].imagePullPolicy: Unsupported value: "Foo": supported values: "Always", "IfNotPresent", "Never"',
      ],
    ],
    [
      'restart policy',
      (p) => (p.spec!.restartPolicy = 'Sometimes'),
      [
        'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
      ],
    ],
    [
      'env name',
      (p) => (app(p).env![0]!.name = 'A=B'),
      [
        `spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`,
      ],
    ],
    [
      'env value and valueFrom',
      (p) => (app(p).env![0]!.valueFrom = { secretKeyRef: { name: 's', key: 'k' } }),
      [
        'spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
      ],
    ],
    [
      'env field path',
      (p) =>
        (app(p).env = [
          { name: 'X', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.phase' } } },
        ]),
      [
        'spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
      ],
    ],
    [
      'requests above limits',
      (p) => (app(p).resources!.requests!.cpu = '2'),
      [
        'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
      ],
    ],
    [
      'negative quantity',
      (p) => {
        app(p).resources!.limits!.memory = '-1Mi';
      },
      [
        'spec.containers[0].resources.limits[memory]: Invalid value: "-1Mi": must be greater than or equal to 0',
        'spec.containers[0].resources.requests: Invalid value: "128Mi": must be less than or equal to memory limit of -1Mi',
      ],
    ],
    [
      'unparsable quantity',
      (p) => (app(p).resources!.limits!.cpu = 'lots'),
      [
        `spec.containers[0].resources.limits[cpu]: Invalid value: "lots": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
      ],
    ],
    [
      'unknown resource',
      (p) => (app(p).resources!.limits!.gpu = '1'),
      [
        'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
        'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers',
      ],
    ],
    [
      'extended resource without limit',
      (p) => (app(p).resources!.requests!['example.com/gpu'] = '1'),
      [
        'spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources',
      ],
    ],
    [
      'two probe handlers',
      (p) => (app(p).livenessProbe!.exec = { command: ['true'] }),
      [
        'spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type',
      ],
    ],
    [
      'no probe handler',
      (p) => delete app(p).livenessProbe!.tcpSocket,
      ['spec.containers[0].livenessProbe: Required value: must specify a handler type'],
    ],
    [
      'negative probe period',
      (p) => (app(p).livenessProbe!.periodSeconds = -1),
      [
        'spec.containers[0].livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0',
      ],
    ],
    [
      'liveness success threshold',
      (p) => (app(p).livenessProbe!.successThreshold = 2),
      ['spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1'],
    ],
    [
      'probe port name',
      (p) => (app(p).readinessProbe!.httpGet!.port = 'HTTP'),
      [
        'spec.containers[0].readinessProbe.httpGet.port: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
        'spec.containers[0].readinessProbe.httpGet.port: Invalid value: "HTTP": must contain at least one letter (a-z)',
      ],
    ],
    [
      'mount of a missing volume',
      (p) => (app(p).volumeMounts![0]!.name = 'nope'),
      ['spec.containers[0].volumeMounts[0].name: Not found: "nope"'],
    ],
    [
      'duplicate volume',
      (p) => p.spec!.volumes!.push({ name: 'data', emptyDir: {} }),
      ['spec.volumes[1].name: Duplicate value: "data"'],
    ],
    [
      'two volume sources',
      (p) => (p.spec!.volumes![0]!.hostPath = { path: '/tmp' }),
      [
        'spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type',
        // A volume with errors is not registered, so its mounts fail too (as upstream).
        'spec.containers[0].volumeMounts[0].name: Not found: "data"',
      ],
    ],
    [
      'duplicate port name',
      (p) => app(p).ports!.push({ name: 'http', containerPort: 9090, protocol: 'TCP' }),
      ['spec.containers[0].ports[1].name: Duplicate value: "http"'],
    ],
    [
      'restartPolicy on a regular container',
      (p) => (app(p).restartPolicy = 'Always'),
      ['spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers'],
    ],
    [
      'probe on an init container',
      (p) => (p.spec!.initContainers = [{ ...structuredClone(app(p)), name: 'init', ports: [] }]),
      [
        'spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
        'spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
      ],
    ],
    [
      'active deadline',
      (p) => (p.spec!.activeDeadlineSeconds = 0),
      ['spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive'],
    ],
    [
      'host port conflict',
      (p) => {
        app(p).ports = [
          { containerPort: 80, hostPort: 8080, protocol: 'TCP' },
          { containerPort: 81, hostPort: 8080, protocol: 'TCP' },
        ];
      },
      ['spec.containers[0].ports[1].hostPort: Duplicate value: "TCP//8080"'],
    ],
  ])('%s', (_name, mutate, expected) => {
    const pod = validPod();
    mutate(pod);
    expect(check(pod)).toEqual(expected);
  });

  it('reports the name rule for pods', () => {
    const pod = validPod();
    pod.metadata.name = 'Web_1';
    expect(check(pod)[0]).toMatch(
      /^metadata\.name: Invalid value: "Web_1": a lowercase RFC 1123 subdomain/,
    );
  });
});

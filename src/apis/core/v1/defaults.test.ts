// Defaulting of Pods, templates, Services, Namespaces, Secrets and image pull policies.
import { describe, expect, it } from 'vitest';
import { defaultContainer, defaultPod, defaultPodSpec, defaultVolume } from './defaults.js';
import { defaultPullPolicy, imageTag } from './image.js';
import {
  defaultEndpoints,
  defaultNamespace,
  defaultNode,
  defaultSecret,
} from './object-defaults.js';
import { defaultService, prepareServiceForUpdate } from './service-defaults.js';
import type { Container, Pod, PodSpec, Service } from './types.js';

describe('image pull policy', () => {
  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.25', 'IfNotPresent'],
    ['registry.local:5000/team/app', 'Always'],
    ['registry.local:5000/team/app:v2', 'IfNotPresent'],
    [`nginx@sha256:${'a'.repeat(64)}`, 'IfNotPresent'],
    [`nginx:latest@sha256:${'a'.repeat(64)}`, 'Always'],
    ['Not/Valid', 'IfNotPresent'],
    ['', 'IfNotPresent'],
  ])('%j → %s', (image, policy) => {
    expect(defaultPullPolicy(image)).toBe(policy);
  });

  it('reads the tag after the last path component only', () => {
    expect(imageTag('host:5000/app')).toBe('latest');
  });
});

describe('defaultPod', () => {
  it('fills what the API server shows for a minimal pod', () => {
    const pod: Pod = {
      metadata: { name: 'p', namespace: 'default' },
      spec: {
        containers: [{ name: 'c', image: 'busybox:1.36', ports: [{ containerPort: 8080 }] }],
      },
    };
    defaultPod(pod);
    expect(pod.spec).toEqual({
      containers: [
        {
          name: 'c',
          image: 'busybox:1.36',
          ports: [{ containerPort: 8080, protocol: 'TCP' }],
          imagePullPolicy: 'IfNotPresent',
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          resources: {},
        },
      ],
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      terminationGracePeriodSeconds: 30,
      enableServiceLinks: true,
      priority: 0,
      preemptionPolicy: 'PreemptLowerPriority',
      serviceAccountName: 'default',
      serviceAccount: 'default',
    });
  });

  it('copies limits into missing requests, canonical and rounded up to milli', () => {
    const pod: Pod = {
      metadata: { name: 'p' },
      spec: {
        containers: [
          {
            name: 'c',
            image: 'i',
            resources: { limits: { cpu: '0.5', memory: 134217728 }, requests: { cpu: '0.0001' } },
          },
        ],
      },
    };
    defaultPod(pod);
    expect(pod.spec?.containers?.[0]?.resources).toEqual({
      limits: { cpu: '500m', memory: '134217728' },
      requests: { cpu: '1m', memory: '134217728' },
    });
  });

  it('keeps an explicit user value', () => {
    const pod: Pod = {
      metadata: {},
      spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 0, containers: [] },
    };
    defaultPod(pod);
    expect(pod.spec?.restartPolicy).toBe('Never');
    expect(pod.spec?.terminationGracePeriodSeconds).toBe(0);
  });

  it('sets host ports for host-network pods', () => {
    const pod: Pod = {
      metadata: {},
      spec: { hostNetwork: true, containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] },
    };
    defaultPod(pod);
    expect(pod.spec?.containers?.[0]?.ports?.[0]?.hostPort).toBe(80);
  });

  it('gives system priority classes their priority', () => {
    const pod: Pod = {
      metadata: {},
      spec: { priorityClassName: 'system-node-critical', containers: [] },
    };
    defaultPod(pod);
    expect(pod.spec?.priority).toBe(2000001000);
  });
});

describe('defaultPodSpec (templates)', () => {
  it('leaves pod-only defaults out', () => {
    const spec: PodSpec = {
      containers: [{ name: 'c', image: 'i', resources: { limits: { cpu: '1' } } }],
    };
    defaultPodSpec(spec);
    expect(spec.enableServiceLinks).toBeUndefined();
    expect(spec.priority).toBeUndefined();
    expect(spec.serviceAccountName).toBeUndefined();
    expect(spec.containers?.[0]?.resources?.requests).toBeUndefined();
  });

  it('mirrors the deprecated serviceAccount alias', () => {
    const spec: PodSpec = { serviceAccount: 'robot', containers: [] };
    defaultPodSpec(spec);
    expect([spec.serviceAccountName, spec.serviceAccount]).toEqual(['robot', 'robot']);
  });
});

describe('defaultContainer', () => {
  it('defaults probes, httpGet and env field references', () => {
    const c: Container = {
      name: 'c',
      image: 'i:1',
      livenessProbe: { httpGet: { port: 8080 } },
      readinessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 5 },
      startupProbe: { grpc: { port: 9000 } },
      lifecycle: { preStop: { httpGet: { port: 80, path: '/stop' } } },
      env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
    };
    defaultContainer(c);
    expect(c.livenessProbe).toEqual({
      httpGet: { port: 8080, path: '/', scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
    expect(c.readinessProbe?.periodSeconds).toBe(5);
    expect(c.startupProbe?.grpc).toEqual({ port: 9000, service: '' });
    expect(c.lifecycle?.preStop?.httpGet).toEqual({ port: 80, path: '/stop', scheme: 'HTTP' });
    expect(c.env?.[0]?.valueFrom?.fieldRef?.apiVersion).toBe('v1');
  });
});

describe('defaultVolume', () => {
  it.each([
    [{ name: 'v' }, { name: 'v', emptyDir: {} }],
    [
      { name: 'v', configMap: { name: 'cm' } },
      { name: 'v', configMap: { name: 'cm', defaultMode: 420 } },
    ],
    [
      { name: 'v', secret: { secretName: 's', defaultMode: 256 } },
      { name: 'v', secret: { secretName: 's', defaultMode: 256 } },
    ],
    [
      { name: 'v', hostPath: { path: '/tmp' } },
      { name: 'v', hostPath: { path: '/tmp', type: '' } },
    ],
  ])('%j', (vol, expected) => {
    defaultVolume(vol);
    expect(vol).toEqual(expected);
  });
});

describe('defaultService', () => {
  it('defaults a ClusterIP service', () => {
    const svc: Service = {
      metadata: { name: 's' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
    };
    defaultService(svc);
    expect(svc.spec).toEqual({
      selector: { app: 'web' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
    });
  });

  it('defaults externally reachable types', () => {
    const svc: Service = {
      metadata: {},
      spec: { type: 'LoadBalancer', ports: [{ port: 80, targetPort: 'http' }] },
    };
    defaultService(svc);
    expect(svc.spec).toMatchObject({
      externalTrafficPolicy: 'Cluster',
      allocateLoadBalancerNodePorts: true,
      ports: [{ targetPort: 'http' }],
    });
  });

  it('syncs clusterIPs and makes selector-less headless services dual-stack capable', () => {
    const svc: Service = { metadata: {}, spec: { clusterIP: 'None', ports: [] } };
    defaultService(svc);
    expect(svc.spec).toMatchObject({ clusterIPs: ['None'], ipFamilyPolicy: 'RequireDualStack' });
  });

  it('gives ClientIP affinity its default timeout and leaves ExternalName without families', () => {
    const svc: Service = {
      metadata: {},
      spec: { type: 'ExternalName', externalName: 'x.y', sessionAffinity: 'ClientIP' },
    };
    defaultService(svc);
    expect(svc.spec?.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
    expect(svc.spec?.ipFamilies).toBeUndefined();
  });

  it('carries allocated values over on update', () => {
    const old: Service = {
      metadata: {},
      spec: {
        type: 'NodePort',
        clusterIP: '10.0.0.5',
        clusterIPs: ['10.0.0.5'],
        ports: [{ port: 80, protocol: 'TCP', nodePort: 30080 }],
      },
    };
    const svc: Service = {
      metadata: {},
      spec: { type: 'NodePort', ports: [{ port: 80, protocol: 'TCP' }] },
    };
    prepareServiceForUpdate(svc, old);
    expect(svc.spec).toMatchObject({
      clusterIP: '10.0.0.5',
      clusterIPs: ['10.0.0.5'],
      ports: [{ nodePort: 30080 }],
    });
  });
});

describe('other kinds', () => {
  it('defaults a namespace', () => {
    const ns = { metadata: { name: 'team-a' } };
    defaultNamespace(ns);
    expect(ns).toEqual({
      metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'team-a' } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  });

  it('does not put the finalizer back on a terminating namespace', () => {
    const ns = {
      metadata: { name: 'a', deletionTimestamp: '2024-01-01T00:00:00Z' },
      status: { phase: 'Terminating' },
    };
    defaultNamespace(ns);
    expect(ns).toMatchObject({ spec: {}, status: { phase: 'Terminating' } });
  });

  it('folds secret stringData into data', () => {
    const secret = { metadata: { name: 's' }, data: { a: 'eA==' }, stringData: { b: 'héllo' } };
    defaultSecret(secret);
    expect(secret).toEqual({
      metadata: { name: 's' },
      type: 'Opaque',
      data: { a: 'eA==', b: 'aMOpbGxv' },
    });
  });

  it('defaults endpoint port protocols and node allocatable', () => {
    const ep = { metadata: {}, subsets: [{ ports: [{ port: 80 }] }] };
    defaultEndpoints(ep);
    expect(ep.subsets[0]?.ports[0]).toEqual({ port: 80, protocol: 'TCP' });
    const node = { metadata: {}, status: { capacity: { cpu: 4, memory: '8Gi' } } };
    defaultNode(node);
    expect(node.status).toEqual({
      capacity: { cpu: '4', memory: '8Gi' },
      allocatable: { cpu: '4', memory: '8Gi' },
    });
  });
});

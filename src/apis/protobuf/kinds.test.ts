// Hand-built bodies for what kubectl cannot be made to send: an autoscaling/v2 HPA with every
// metric source, behavior and status; DeleteOptions with every field; Eviction.

import { describe, expect, it } from 'vitest';
import { decodeProtobufObject } from './decode.js';
import { goObjectMeta, kubeObject, type Build } from './wire-writer.js';

const meta = goObjectMeta;
const body = kubeObject;
const seconds =
  (s: number): Build =>
  (t) =>
    t.varint(1, s);
const quantity =
  (q: string): Build =>
  (m) =>
    m.string(1, q);
const T0 = 1767225600; // 2026-01-01T00:00:00Z

describe('hand-built kinds', () => {
  it('autoscaling/v2 HorizontalPodAutoscaler with every metric source, behavior and status', () => {
    const target =
      (type: string, f: Build): Build =>
      (t) =>
        f(t.string(1, type));
    const ref =
      (kind: string, name: string): Build =>
      (r) =>
        r.string(1, kind).string(2, name).string(3, 'apps/v1');
    const got = decodeProtobufObject(
      body('autoscaling/v2', 'HorizontalPodAutoscaler', (h) =>
        h
          .message(1, meta('web'))
          .message(2, (s) =>
            s
              .message(1, ref('Deployment', 'web'))
              .varint(2, 1)
              .varint(3, 10)
              .message(4, (m) =>
                m.string(1, 'Resource').message(4, (r) =>
                  r.string(1, 'cpu').message(
                    2,
                    target('Utilization', (t) => t.varint(4, 60)),
                  ),
                ),
              )
              .message(4, (m) =>
                m.string(1, 'ContainerResource').message(7, (r) =>
                  r
                    .string(1, 'memory')
                    .message(
                      2,
                      target('AverageValue', (t) => t.message(3, quantity('200Mi'))),
                    )
                    .string(3, 'app'),
                ),
              )
              .message(4, (m) =>
                m.string(1, 'Pods').message(3, (p) =>
                  p
                    .message(1, (i) => i.string(1, 'rps'))
                    .message(
                      2,
                      target('AverageValue', (t) => t.message(3, quantity('10'))),
                    ),
                ),
              )
              .message(4, (m) =>
                m.string(1, 'Object').message(2, (o) =>
                  o
                    .message(1, (r) =>
                      r.string(1, 'Ingress').string(2, 'main').string(3, 'networking.k8s.io/v1'),
                    )
                    .message(
                      2,
                      target('Value', (t) => t.message(2, quantity('2k'))),
                    )
                    .message(3, (i) =>
                      i
                        .string(1, 'hits')
                        .message(2, (l) => l.message(1, (e) => e.string(1, 'path').string(2, '/'))),
                    ),
                ),
              )
              .message(4, (m) =>
                m.string(1, 'External').message(5, (e) =>
                  e
                    .message(1, (i) => i.string(1, 'queue'))
                    .message(
                      2,
                      target('Value', (t) => t.message(2, quantity('30'))),
                    ),
                ),
              )
              .message(5, (b) =>
                b
                  .message(1, (u) =>
                    u
                      .varint(3, 0)
                      .string(1, 'Max')
                      .message(2, (p) => p.string(1, 'Percent').varint(2, 100).varint(3, 15)),
                  )
                  .message(2, (d) =>
                    d
                      .varint(3, 300)
                      .message(2, (p) => p.string(1, 'Pods').varint(2, 1).varint(3, 60)),
                  ),
              ),
          )
          .message(3, (st) =>
            st
              .varint(1, 3)
              .message(2, seconds(T0))
              .varint(3, 2)
              .varint(4, 4)
              .message(5, (m) =>
                m
                  .string(1, 'Resource')
                  .message(4, (r) =>
                    r
                      .string(1, 'cpu')
                      .message(2, (c) => c.message(2, quantity('150m')).varint(3, 75)),
                  ),
              )
              .message(6, (c) =>
                c
                  .string(1, 'AbleToScale')
                  .string(2, 'True')
                  .message(3, seconds(T0))
                  .string(4, 'ReadyForNewScale')
                  .string(5, ''),
              ),
          ),
      ),
    );
    expect(got).toStrictEqual({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' },
        minReplicas: 1,
        maxReplicas: 10,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } },
          },
          {
            type: 'ContainerResource',
            containerResource: {
              name: 'memory',
              container: 'app',
              target: { type: 'AverageValue', averageValue: '200Mi' },
            },
          },
          {
            type: 'Pods',
            pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } },
          },
          {
            type: 'Object',
            object: {
              describedObject: {
                kind: 'Ingress',
                name: 'main',
                apiVersion: 'networking.k8s.io/v1',
              },
              target: { type: 'Value', value: '2k' },
              metric: { name: 'hits', selector: { matchLabels: { path: '/' } } },
            },
          },
          {
            type: 'External',
            external: { metric: { name: 'queue' }, target: { type: 'Value', value: '30' } },
          },
        ],
        behavior: {
          scaleUp: {
            stabilizationWindowSeconds: 0,
            selectPolicy: 'Max',
            policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
          },
          scaleDown: {
            stabilizationWindowSeconds: 300,
            policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }],
          },
        },
      },
      status: {
        observedGeneration: 3,
        lastScaleTime: '2026-01-01T00:00:00Z',
        currentReplicas: 2,
        desiredReplicas: 4,
        currentMetrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', current: { averageValue: '150m', averageUtilization: 75 } },
          },
        ],
        conditions: [
          {
            type: 'AbleToScale',
            status: 'True',
            lastTransitionTime: '2026-01-01T00:00:00Z',
            reason: 'ReadyForNewScale',
          },
        ],
      },
    });
  });

  it.each(['v1', 'apps/v1', 'meta.k8s.io/v1'])(
    'DeleteOptions under apiVersion %s',
    (apiVersion) => {
      const got = decodeProtobufObject(
        body(apiVersion, 'DeleteOptions', (d) =>
          d
            .varint(1, 0)
            .message(2, (p) => p.string(1, 'uid-1').string(2, '7'))
            .varint(3, false)
            .string(4, 'Foreground')
            .string(5, 'All'),
        ),
      );
      expect(got).toStrictEqual({
        apiVersion,
        kind: 'DeleteOptions',
        gracePeriodSeconds: 0,
        preconditions: { uid: 'uid-1', resourceVersion: '7' },
        orphanDependents: false,
        propagationPolicy: 'Foreground',
        dryRun: ['All'],
      });
    },
  );

  it('policy/v1 Eviction', () => {
    const got = decodeProtobufObject(
      body('policy/v1', 'Eviction', (e) =>
        e.message(1, meta('web-1', 'default')).message(2, (d) => d.varint(1, 30)),
      ),
    );
    expect(got).toStrictEqual({
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: 'web-1', namespace: 'default' },
      deleteOptions: { gracePeriodSeconds: 30 },
    });
  });
});

import { describe, it, expect } from 'vitest';
import { defaultPrinter, humanDuration, printers, translateTimestampSince } from './index.js';

describe('printers registry', () => {
  it('covers the resources kubeproc serves', () => {
    expect(Object.keys(printers).sort()).toEqual([
      'apiservices.apiregistration.k8s.io',
      'configmaps',
      'cronjobs.batch',
      'deployments.apps',
      'endpoints',
      'endpointslices.discovery.k8s.io',
      'events',
      'events.events.k8s.io',
      'horizontalpodautoscalers.autoscaling',
      'ingressclasses.networking.k8s.io',
      'ingresses.networking.k8s.io',
      'jobs.batch',
      'leases.coordination.k8s.io',
      'namespaces',
      'nodes',
      'nodes.metrics.k8s.io',
      'poddisruptionbudgets.policy',
      'pods',
      'pods.metrics.k8s.io',
      'replicasets.apps',
      'secrets',
      'serviceaccounts',
      'servicemonitors.monitoring.coreos.com',
      'services',
    ]);
  });

  it.each(Object.entries(printers))(
    '%s: NAME first (except events), one cell per column',
    (key, p) => {
      const first = p.columns[0];
      if (key === 'events' || key === 'events.events.k8s.io') {
        expect(first?.name).toBe('Last Seen');
      } else {
        expect(first).toMatchObject({ name: 'Name', format: 'name', priority: 0 });
      }
      const cells = p.cells(
        { metadata: { name: 'n', creationTimestamp: '2025-01-01T00:00:00Z' } },
        new Date('2025-01-01T00:00:30Z'),
      );
      expect(cells).toHaveLength(p.columns.length);
      for (const c of p.columns) {
        expect([0, 1]).toContain(c.priority);
        expect(c.description).not.toBe('');
      }
    },
  );

  it('re-exports the helpers', () => {
    expect(defaultPrinter.columns).toHaveLength(2);
    expect(humanDuration(61_000)).toBe('61s');
    expect(translateTimestampSince(undefined, new Date())).toBe('<unknown>');
  });
});

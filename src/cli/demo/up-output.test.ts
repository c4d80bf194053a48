import { describe, expect, it } from 'vitest';
import { parseUpOutput } from './up-output.js';

const FULL = `kubeproc: Kubernetes v1.32.4 API listening on http://127.0.0.1:37943
data dir:   /tmp/d/data
node:       vm (network: host mode, each containerPort gets a free host port as $PORT)
processes:  one PID namespace (own /proc) per container
cgroups:    on (kubepods/<qos>/pod<uid>/<container>)
ingress:    http://127.0.0.1:43455 (port 80 was not available; choose with --ingress-http-port); HTTPS opens once an Ingress has TLS
Press Ctrl-C to stop.
`;

describe('parseUpOutput', () => {
  it('is undefined before the API line', () => {
    expect(parseUpOutput('')).toBeUndefined();
    expect(parseUpOutput('kubeproc: starting\n')).toBeUndefined();
  });

  it('reads the URLs and PID namespaces of a complete startup', () => {
    expect(parseUpOutput(FULL)).toEqual({
      apiUrl: 'http://127.0.0.1:37943',
      ingressUrl: 'http://127.0.0.1:43455',
      hasPidNamespaces: true,
      hasIsolatedNetwork: false,
      processes: 'one PID namespace (own /proc) per container',
      isComplete: true,
    });
  });

  it.each([
    ['ingress:    http://127.0.0.1; HTTPS opens once an Ingress has TLS', 'http://127.0.0.1'],
    ['ingress:    http://127.0.0.1:8080; HTTPS opens once', 'http://127.0.0.1:8080'],
    ['ingress:    off (--no-ingress)', undefined],
  ])('ingress line %j', (line, url) => {
    const parsed = parseUpOutput(`API listening on http://127.0.0.1:1\n${line}\n`);
    expect(parsed?.ingressUrl).toBe(url);
    expect(parsed?.isComplete).toBe(false);
  });

  it('reports no PID namespaces when up says why', () => {
    const text = FULL.replace(
      'one PID namespace (own /proc) per container',
      'shared with this machine (PID namespaces need root)',
    );
    expect(parseUpOutput(text)?.hasPidNamespaces).toBe(false);
  });

  it.each([
    ['network:    isolated: each pod has its own IP from 10.244.0.0/16 on bridge kpabc123', true],
    ['network:    host mode (chosen with --network host): pods share the node network', false],
  ])('network line %j', (line, isolated) => {
    const parsed = parseUpOutput(`API listening on http://127.0.0.1:1\n${line}\n`);
    expect(parsed?.hasIsolatedNetwork).toBe(isolated);
  });
});

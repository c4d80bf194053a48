import { describe, expect, it } from 'vitest';
import { proxyConfigOf, proxySummary } from './up-proxy.js';
import type { RunningProxy } from '../proxy/index.js';

describe('kubeproc up proxy flags', () => {
  it('leaves defaults to the proxy', () => {
    expect(proxyConfigOf({})).toEqual({
      enabled: true,
      ingress: { enabled: true, watchWithoutClass: true },
      services: {},
    });
  });

  it('reads every flag', () => {
    expect(
      proxyConfigOf({
        'ingress-http-port': '8080',
        'ingress-https-port': '0',
        'ingress-address': '0.0.0.0',
        'ingress-classes': 'nginx, traefik',
        'no-classless-ingress': true,
        'node-port-address': '127.0.0.2',
      }),
    ).toEqual({
      enabled: true,
      ingress: {
        enabled: true,
        httpPort: 8080,
        httpsPort: 0,
        address: '0.0.0.0',
        extraClasses: ['nginx', 'traefik'],
        watchWithoutClass: false,
      },
      services: { nodePortAddress: '127.0.0.2' },
    });
    expect(proxyConfigOf({ 'ingress-classes': 'none' }).ingress?.extraClasses).toEqual([]);
    expect(proxyConfigOf({ 'no-proxy': true }).enabled).toBe(false);
    expect(proxyConfigOf({ 'ingress-workers': '2' }).ingress?.workers).toBe(2);
  });

  it.each([
    [
      { 'ingress-http-port': '80x' },
      'invalid --ingress-http-port "80x": expected a port number 0-65535',
    ],
    [
      { 'ingress-https-port': '70000' },
      'invalid --ingress-https-port "70000": expected a port number 0-65535',
    ],
    [
      { 'ingress-address': 'localhost' },
      'invalid --ingress-address "localhost": expected an IP address',
    ],
    [
      { 'node-port-address': '1.2.3' },
      'invalid --node-port-address "1.2.3": expected an IP address',
    ],
    [{ 'ingress-workers': '-1' }, 'invalid --ingress-workers "-1": expected a number 0-64'],
    [{ 'ingress-workers': 'two' }, 'invalid --ingress-workers "two": expected a number 0-64'],
  ])('rejects %j', (values, message) => {
    expect(() => proxyConfigOf(values)).toThrow(message);
  });

  it('prints where the ingress answers, and why it is not port 80', () => {
    const proxy = {
      ingress: { address: '127.0.0.1', httpPort: 8081, httpsPort: () => undefined },
    } as RunningProxy;
    const lines = proxySummary(proxy, {
      apiUrl: 'http://127.0.0.1:6443',
      config: proxyConfigOf({}),
    });
    expect(lines).toContain(
      'ingress:    http://127.0.0.1:8081 (port 80 was not available; choose with --ingress-http-port); HTTPS opens once an Ingress has TLS',
    );
    expect(lines).toContain(
      'metrics:    http://127.0.0.1:6443/metrics (requests, in-flight, latency per Service and pod)',
    );
    const chosen = proxySummary(proxy, {
      apiUrl: 'http://127.0.0.1:6443',
      config: proxyConfigOf({ 'ingress-http-port': '8081' }),
    });
    expect(chosen.find((l) => l.startsWith('ingress:'))).toBe(
      'ingress:    http://127.0.0.1:8081; HTTPS opens once an Ingress has TLS',
    );
    const withWorkers = { ingress: { ...proxy.ingress, workers: 2 } } as RunningProxy;
    expect(
      proxySummary(withWorkers, { apiUrl: '', config: proxyConfigOf({}) }).find((l) =>
        l.startsWith('ingress:'),
      ),
    ).toMatch(/; served by 2 worker processes$/);
  });
});

import { describe, expect, it } from 'vitest';
import { UsageError } from '../output.js';
import { demoIsolatedCidrs, demoServiceCidr, demoUpArgs, parseDemoArgs } from './options.js';

describe('parseDemoArgs', () => {
  it.each([
    [[], { isStepwise: false, concurrency: 20, isHelp: false }],
    [['--step'], { isStepwise: true, concurrency: 20, isHelp: false }],
    [['--concurrency', '50'], { isStepwise: false, concurrency: 50, isHelp: false }],
    [
      ['--ingress-http-port', '8080'],
      { isStepwise: false, concurrency: 20, ingressHttpPort: 8080, isHelp: false },
    ],
    [['-h'], { isStepwise: false, concurrency: 20, isHelp: true }],
    [['--network', 'host'], { isStepwise: false, concurrency: 20, network: 'host', isHelp: false }],
  ])('%j', (args, expected) => {
    expect(parseDemoArgs(args)).toEqual(expected);
  });

  it.each([
    [['--concurrency', '0'], 'invalid --concurrency "0"'],
    [['--concurrency', 'lots'], 'invalid --concurrency "lots": expected a whole number 0-500'],
    [['--ingress-http-port', '70000'], 'invalid --ingress-http-port "70000"'],
    [['--network', 'bridge'], 'invalid --network "bridge": expected isolated or host'],
  ])('rejects %j', (args, message) => {
    expect(() => parseDemoArgs(args)).toThrow(UsageError);
    expect(() => parseDemoArgs(args)).toThrow(message);
  });

  it('rejects unknown flags and positionals', () => {
    expect(() => parseDemoArgs(['--start'])).toThrow(/Unknown option '--start'/);
    expect(() => parseDemoArgs(['now'])).toThrow();
  });
});

describe('demoServiceCidr', () => {
  it.each([
    [0, '127.97.0.0/16'],
    [0.5, '127.112.0.0/16'],
    [0.9999, '127.126.0.0/16'],
    [1, '127.126.0.0/16'],
  ])('random %d -> %s (never the default 127.96)', (random, cidr) => {
    expect(demoServiceCidr(random)).toBe(cidr);
  });
});

describe('demoUpArgs', () => {
  it('starts on free ports with the demo timings, ingress port only when given', () => {
    const args = demoUpArgs({ dataDir: '/d', kubeconfig: '/k', serviceCidr: '127.97.0.0/16' });
    expect(args.slice(0, 9)).toEqual([
      'up',
      '--data-dir',
      '/d',
      '--kubeconfig',
      '/k',
      '--api-port',
      '0',
      '--service-cidr',
      '127.97.0.0/16',
    ]);
    expect(args).toContain('--horizontal-pod-autoscaler-downscale-stabilization');
    expect(args).not.toContain('--ingress-http-port');
    expect(args.join(' ')).toContain('--network host');
    expect(
      demoUpArgs({ dataDir: '/d', kubeconfig: '/k', serviceCidr: 'x', ingressHttpPort: 0 }),
    ).toEqual(expect.arrayContaining(['--ingress-http-port', '0']));
  });

  it('runs isolated with a pod range when one is given', () => {
    const args = demoUpArgs({ dataDir: '/d', kubeconfig: '/k', ...demoIsolatedCidrs(0.5) });
    expect(args.join(' ')).toContain(
      '--service-cidr 10.225.1.0/24 --network isolated --pod-cidr 10.225.0.0/24',
    );
  });
});

describe('demoIsolatedCidrs', () => {
  it.each([0, 0.25, 0.5, 0.9999, 1])('random %d: adjacent /24s in 10.200-249', (random) => {
    const { podCidr, serviceCidr } = demoIsolatedCidrs(random);
    const [, second, third] = /^10\.(\d+)\.(\d+)\.0\/24$/.exec(podCidr) ?? [];
    expect(Number(second)).toBeGreaterThanOrEqual(200);
    expect(Number(second)).toBeLessThan(250);
    expect(Number(third) % 2).toBe(0);
    expect(serviceCidr).toBe(`10.${second}.${Number(third) + 1}.0/24`);
  });
});

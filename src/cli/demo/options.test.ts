import { describe, expect, it } from 'vitest';
import { UsageError } from '../output.js';
import { demoServiceCidr, demoUpArgs, parseDemoArgs } from './options.js';

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
  ])('%j', (args, expected) => {
    expect(parseDemoArgs(args)).toEqual(expected);
  });

  it.each([
    [['--concurrency', '0'], 'invalid --concurrency "0"'],
    [['--concurrency', 'lots'], 'invalid --concurrency "lots": expected a whole number 0-500'],
    [['--ingress-http-port', '70000'], 'invalid --ingress-http-port "70000"'],
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
});

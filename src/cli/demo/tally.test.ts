import { describe, expect, it } from 'vitest';
import { formatWindow, outcomeOf, podOfAnswer, podSuffix, RequestTally } from './tally.js';

describe('outcomeOf', () => {
  it.each([
    [200, 'Hello, Kubernetes! from Pod: web-1\n', { atMs: 5, pod: 'web-1' }],
    [200, 'something else', { atMs: 5, error: 'HTTP 200: something else' }],
    [
      503,
      'no ready endpoints for service default/web\n',
      { atMs: 5, error: 'HTTP 503: no ready endpoints for service default/web' },
    ],
    [502, '', { atMs: 5, error: 'HTTP 502' }],
    [
      500,
      'Hello, Kubernetes! from Pod: web-1',
      { atMs: 5, error: 'HTTP 500: Hello, Kubernetes! from Pod: web-1' },
    ],
  ])('%d %j', (status, body, expected) => {
    expect(outcomeOf(5, status, body)).toEqual(expected);
  });

  it('reads the pod from an answer', () => {
    expect(podOfAnswer('  Hello, Kubernetes! from Pod: a-b-c  ')).toBe('a-b-c');
    expect(podOfAnswer('Hello from a-b-c')).toBeUndefined();
  });
});

describe('RequestTally', () => {
  const tally = new RequestTally();
  tally.record({ atMs: 100, pod: 'web-aaaaa' });
  tally.record({ atMs: 900, pod: 'web-bbbbb' });
  tally.record({ atMs: 1000, error: 'HTTP 503' });
  tally.record({ atMs: 1500, pod: 'web-bbbbb' });
  tally.record({ atMs: 1600, error: 'HTTP 503' });
  tally.record({ atMs: 1700, error: 'socket hang up' });

  it('counts sent and failed', () => {
    expect(tally.sent).toBe(6);
    expect(tally.failed).toBe(3);
  });

  it('summarizes a half-open window', () => {
    const w = tally.window(0, 1000);
    expect([w.ok, w.failed, [...w.pods]]).toEqual([
      2,
      0,
      [
        ['web-aaaaa', 1],
        ['web-bbbbb', 1],
      ],
    ]);
    const later = tally.window(1000, 2000);
    expect([later.ok, later.failed, [...later.pods]]).toEqual([1, 3, [['web-bbbbb', 1]]]);
  });

  it('counts answers of a pod since a time', () => {
    expect(tally.answersFrom('web-bbbbb', 0)).toBe(2);
    expect(tally.answersFrom('web-bbbbb', 1000)).toBe(1);
    expect(tally.answersFrom('web-aaaaa', 101)).toBe(0);
  });

  it('lists distinct errors with counts', () => {
    expect(tally.errors(5)).toEqual(['2 x HTTP 503', '1 x socket hang up']);
    expect(tally.errors(1)).toEqual(['2 x HTTP 503']);
  });
});

describe('formatting', () => {
  it.each([
    ['hello-world-flask-8656b7f59b-qsbzb', 'qsbzb'],
    ['single', 'single'],
  ])('podSuffix(%s) = %s', (pod, suffix) => {
    expect(podSuffix(pod)).toBe(suffix);
  });

  it('formats a window with pods by suffix', () => {
    const pods = new Map([
      ['app-x-qsbzb', 3],
      ['app-x-hbb7h', 2],
    ]);
    expect(formatWindow({ ok: 5, failed: 0, pods })).toBe('5 ok, 0 failed   qsbzb x3  hbb7h x2');
    expect(formatWindow({ ok: 0, failed: 2, pods: new Map() })).toBe('0 ok, 2 failed');
  });
});

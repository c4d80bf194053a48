import { describe, expect, it } from 'vitest';
import { age, formatWords, imagePrinter } from './printer.js';

const now = new Date('2025-01-10T00:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

describe('imagePrinter', () => {
  it('shows the familiar reference, the command words and the age', () => {
    const cells = imagePrinter.cells(
      {
        metadata: { name: 'busybox', creationTimestamp: ago(42_000) },
        spec: {
          image: 'docker.io/library/busybox:latest',
          entrypoint: ['busybox'],
          cmd: ['sh', '-c', "echo it's $HOME"],
          workingDir: '/tmp',
        },
      },
      now,
    );
    expect(cells).toEqual([
      'busybox',
      'busybox:latest',
      'busybox',
      `sh -c 'echo it'\\''s $HOME'`,
      '42s',
      '/tmp',
    ]);
  });

  it('has one cell per column, NAME first, WORKING DIR only in -o wide', () => {
    const cells = imagePrinter.cells({ metadata: {}, spec: { image: 'bad ref' } }, now);
    expect(cells).toEqual(['', 'bad ref', '<none>', '<none>', '<unknown>', '<none>']);
    expect(imagePrinter.columns.map((c) => [c.name, c.priority])).toEqual([
      ['Name', 0],
      ['Image', 0],
      ['Entrypoint', 0],
      ['Cmd', 0],
      ['Age', 0],
      ['Working Dir', 1],
    ]);
    expect(imagePrinter.columns[0]?.format).toBe('name');
  });
});

describe('formatWords', () => {
  it.each([
    [undefined, '<none>'],
    [[], '<none>'],
    [['python3', 'app.py', '--port=8080'], 'python3 app.py --port=8080'],
    [['a b', ''], "'a b' ''"],
  ])('%j -> %s', (words, text) => {
    expect(formatWords(words)).toBe(text);
  });
});

describe('age', () => {
  const S = 1000;
  const M = 60 * S;
  const H = 60 * M;
  const D = 24 * H;
  it.each([
    [0, '0s'],
    [-1500, '0s'],
    [-3000, '<invalid>'],
    [119 * S, '119s'],
    [3 * M + 20 * S, '3m20s'],
    [5 * M, '5m'],
    [179 * M, '179m'],
    [7 * H + 5 * M, '7h5m'],
    [47 * H, '47h'],
    [5 * D + 2 * H, '5d2h'],
    [400 * D, '400d'],
    [(2 * 365 + 30) * D, '2y30d'],
    [9 * 365 * D, '9y'],
  ])('%i ms -> %s', (ms, text) => {
    expect(age(ago(ms), now)).toBe(text);
  });

  it('is <unknown> without a timestamp', () => {
    expect(age(undefined, now)).toBe('<unknown>');
  });
});

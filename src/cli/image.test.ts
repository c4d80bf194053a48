import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connect, image, imageTable, parseImageAdd } from './image.js';
import type { Output } from './output.js';

const parse = (...args: string[]) => parseImageAdd(args, { HOME: '/home/me' }, '/work/app');

function capture(): Output & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, print: (l) => lines.push(l), error: (l) => errors.push(l) };
}

describe('parseImageAdd', () => {
  it('builds the Image: entrypoint one word, ARGS after -- the cmd', () => {
    expect(
      parse('busybox', '--entrypoint', 'busybox', '--data-dir', '/d', '--', 'wget', '--help', '--'),
    ).toEqual({
      image: {
        apiVersion: 'kubeproc.io/v1alpha1',
        kind: 'Image',
        metadata: { name: 'busybox' },
        spec: {
          image: 'docker.io/library/busybox:latest',
          entrypoint: ['busybox'],
          cmd: ['wget', '--help', '--'],
        },
      },
      connection: { entrypoint: 'busybox', 'data-dir': '/d' },
    });
  });

  it('makes --workdir absolute and reads --env NAME from the environment', () => {
    const parsed = parse(
      'app:v2',
      '--workdir',
      'srv',
      '--env',
      'A=1=2',
      '--env',
      'HOME',
      '--env',
      'B=',
    );
    expect(parsed).toMatchObject({
      image: {
        metadata: { name: 'app-v2-3c3d48e315' },
        spec: {
          image: 'docker.io/library/app:v2',
          workingDir: '/work/app/srv',
          env: [
            { name: 'A', value: '1=2' },
            { name: 'HOME', value: '/home/me' },
            { name: 'B', value: '' },
          ],
        },
      },
    });
  });

  it.each([
    [
      ['Busybox'],
      'invalid image reference "Busybox": invalid reference format: repository name (library/Busybox) must be lowercase',
    ],
    [[], 'image add needs an image name: kubeproc image add NAME[:TAG] -- COMMAND'],
    [['busybox', 'sh', '-c'], `Unknown option '-c'`],
    [
      ['busybox', 'sh', 'x'],
      'unexpected argument "sh": put the image\'s command after "--" (kubeproc image add busybox -- sh x)',
    ],
    [['busybox', '--env', '=1'], 'invalid --env "=1": expected NAME=VALUE'],
    [['busybox', '--env', 'NOPE'], '--env NOPE: NOPE is not set here; use --env NOPE=VALUE'],
    [['busybox', '--bogus'], `Unknown option '--bogus'`],
  ])('rejects %j', (args, message) => {
    expect(() => parse(...args)).toThrow(message);
  });
});

describe('imageTable', () => {
  it('lists images sorted, in familiar form, with env and age', () => {
    const now = new Date('2025-01-01T00:10:00Z');
    const table = imageTable(
      [
        {
          metadata: { name: 'x', creationTimestamp: '2025-01-01T00:00:00Z' },
          spec: {
            image: 'docker.io/library/nginx:latest',
            entrypoint: ['nginx'],
            cmd: ['-g', 'daemon off;'],
          },
        },
        {
          metadata: { name: 'y', creationTimestamp: '2025-01-01T00:09:30Z' },
          spec: { image: 'busybox', workingDir: '/srv', env: [{ name: 'A', value: '1' }] },
        },
      ],
      now,
    );
    expect(table.split('\n')).toEqual([
      'IMAGE            ENTRYPOINT   CMD                WORKDIR   ENV      AGE',
      'busybox:latest   <none>       <none>             /srv      A=1      30s',
      "nginx:latest     nginx        -g 'daemon off;'   <none>    <none>   10m",
    ]);
  });
});

describe('image', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeproc-image-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints usage without a subcommand or with --help, and refuses unknown subcommands', async () => {
    const out = capture();
    expect(await image([], out)).toBe(2);
    expect(out.lines[0]).toMatch(/^Usage:\n {2}kubeproc image add NAME\[:TAG\]/);
    expect(await image(['add', 'Bad', '--help'], out)).toBe(0);
    expect(out.lines[1]).toBe(out.lines[0]);
    await expect(image(['push'], capture())).rejects.toThrow(
      'unknown image command "push"; expected add, ls or rm',
    );
  });

  it('rm checks every reference before deleting any', async () => {
    await expect(image(['rm', 'busybox', 'Bad', '--data-dir', dir], capture())).rejects.toThrow(
      'invalid image reference "Bad"',
    );
    await expect(image(['rm', '--data-dir', dir], capture())).rejects.toThrow(
      'image rm needs at least one image name',
    );
  });

  it('says how to start kubeproc when none runs with the data dir', async () => {
    await expect(connect({ 'data-dir': dir })).rejects.toThrow(
      `kubeproc is not running with data dir ${dir}; start it with: kubeproc up --data-dir ${dir}`,
    );
  });
});

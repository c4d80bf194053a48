// Mount plans: volumeMounts to binds, subPath and subPathExpr, extra node binds, order.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMountPlan, sortByDepth } from './mount-plan.js';

let dir: string;
let volumes: Map<string, string>;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kubeproc-mp-'));
  await mkdir(path.join(dir, 'v1/conf'), { recursive: true });
  await writeFile(path.join(dir, 'v1/conf/app.ini'), 'x');
  await symlink('/etc', path.join(dir, 'v1/escape'));
  volumes = new Map([['v1', path.join(dir, 'v1')]]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('buildMountPlan', () => {
  it('binds volumes with readOnly, subPath and subPathExpr, parents first, plus extra binds', async () => {
    const plan = await buildMountPlan(
      {
        name: 'c',
        volumeMounts: [
          { name: 'v1', mountPath: '/etc/app/app.ini', subPath: 'conf/app.ini' },
          { name: 'v1', mountPath: '/etc/app', readOnly: true },
          { name: 'v1', mountPath: '/logs', subPathExpr: '$(POD)' },
        ],
      },
      {
        volumes,
        env: { POD: 'p1' },
        extraBinds: [
          { source: '/x/hosts', target: '/etc/hosts' },
          { source: '/x/other', target: '/etc/app' },
        ],
      },
    );
    expect(plan).toEqual([
      { source: path.join(dir, 'v1/p1'), target: '/logs', readOnly: false },
      { source: path.join(dir, 'v1'), target: '/etc/app', readOnly: true },
      { source: '/x/hosts', target: '/etc/hosts', readOnly: false },
      { source: path.join(dir, 'v1/conf/app.ini'), target: '/etc/app/app.ini', readOnly: false },
    ]);
  });

  it.each([
    [{ name: 'nope', mountPath: '/a' }, 'cannot find volume "nope" to mount into container "c"'],
    [{ name: 'v1', mountPath: '/a', subPath: '../x' }, "must be a relative path without '..'"],
    [{ name: 'v1', mountPath: '/a', subPath: 'escape' }, 'not within volume path'],
  ])('refuses %j', async (vm, message) => {
    await expect(
      buildMountPlan({ name: 'c', volumeMounts: [vm] }, { volumes, env: {} }),
    ).rejects.toThrow(message);
  });
});

describe('sortByDepth', () => {
  it('keeps the given order within one depth', () => {
    const steps = ['/a/b', '/z', '/a'].map((target) => ({ source: 's', target, readOnly: false }));
    expect(sortByDepth(steps).map((s) => s.target)).toEqual(['/z', '/a', '/a/b']);
  });
});

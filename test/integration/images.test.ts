// Local images: `kubeproc image add|ls|rm` through the built CLI, Images served to the real
// kubectl like any kind, bad input refused with nothing written, and Images kept across a restart.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { BIN } from './harness.js';
import { launchKubeproc, tempDir } from './processes.js';
import type { Launched } from './processes.js';

let dir: string;
let server: Launched | undefined;
const dataDir = () => join(dir, 'data');
const kubeconfig = () => join(dir, 'kubeconfig');
const env = () => ({ ...process.env, HOME: dir, KUBECONFIG: kubeconfig() });

const start = (): Promise<Launched> =>
  launchKubeproc({ dataDir: dataDir(), kubeconfig: kubeconfig(), home: dir });

const kubeproc = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: env(),
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
};

const kubectl = (args: string[], input = '') => {
  const r = spawnSync('kubectl', [`--cache-dir=${join(dir, 'cache')}`, ...args], {
    encoding: 'utf8',
    env: env(),
    input,
    timeout: 60_000,
  });
  if (r.error) {
    throw new Error(`running kubectl: ${r.error.message} (the integration tests need kubectl)`);
  }
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
};

const kubectlOk = (args: string[], input = ''): string => {
  const r = kubectl(args, input);
  if (r.code !== 0) {
    throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
  }
  return r.stdout;
};

const imageNames = () => kubectlOk(['get', 'images', '-o', 'name']);

beforeAll(async () => {
  dir = tempDir('kubeproc-images-');
  server = await start();
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('kubeproc image', () => {
  it('adds an image that kubectl get images shows', () => {
    const add = kubeproc(
      'image',
      'add',
      'busybox',
      '--data-dir',
      dataDir(),
      '--entrypoint',
      'busybox',
      '--',
      'sh',
    );
    expect(add).toMatchObject({ code: 0, stdout: 'image.kubeproc.io/busybox created\n' });
    const table = kubectlOk(['get', 'images']);
    expect(table).toMatch(/^NAME\s+IMAGE\s+ENTRYPOINT\s+CMD\s+AGE\n/);
    expect(table).toMatch(/^busybox\s+busybox:latest\s+busybox\s+sh\s+\d+s$/m);
    const obj = YAML.parse(kubectlOk(['get', 'image', 'busybox', '-o', 'yaml'])) as {
      apiVersion: string;
      kind: string;
      spec: unknown;
    };
    expect(obj).toMatchObject({ apiVersion: 'kubeproc.io/v1alpha1', kind: 'Image' });
    expect(obj.spec).toEqual({
      image: 'docker.io/library/busybox:latest',
      entrypoint: ['busybox'],
      cmd: ['sh'],
    });
  });

  it('replaces an image added again, and says when nothing changed', () => {
    const args = ['image', 'add', 'docker.io/library/busybox', '--data-dir', dataDir()];
    expect(kubeproc(...args, '--entrypoint', 'busybox', '--', 'sh').stdout).toBe(
      'image.kubeproc.io/busybox unchanged\n',
    );
    expect(kubeproc(...args, '--', 'sh', '-c', 'echo hi').stdout).toBe(
      'image.kubeproc.io/busybox replaced\n',
    );
    expect(kubectlOk(['get', 'image', 'busybox', '-o', 'jsonpath={.spec}'])).toBe(
      '{"cmd":["sh","-c","echo hi"],"image":"docker.io/library/busybox:latest"}',
    );
  });

  it('lists images through the kubeconfig context too', () => {
    const add = kubeproc(
      'image',
      'add',
      'ghostwritten/hello-world-flask:latest',
      '--kubeconfig',
      kubeconfig(),
      '--workdir',
      '/srv/app',
      '--env',
      'FLASK_ENV=production',
      '--',
      'python3',
      'app.py',
    );
    expect(add).toMatchObject({
      code: 0,
      stdout: 'image.kubeproc.io/ghostwritten.hello-world-flask created\n',
    });
    const ls = kubeproc('image', 'ls', '--kubeconfig', kubeconfig());
    expect(ls.code).toBe(0);
    expect(ls.stdout.split('\n').map((line) => line.split(/ {2,}/))).toEqual([
      ['IMAGE', 'ENTRYPOINT', 'CMD', 'WORKDIR', 'ENV', 'AGE'],
      [
        'busybox:latest',
        '<none>',
        "sh -c 'echo hi'",
        '<none>',
        '<none>',
        expect.stringMatching(/^\d+s$/),
      ],
      [
        'ghostwritten/hello-world-flask:latest',
        '<none>',
        'python3 app.py',
        '/srv/app',
        'FLASK_ENV=production',
        expect.stringMatching(/^\d+s$/),
      ],
      [''],
    ]);
  });

  it('serves Images to kubectl like any kind: discovery, apply, delete', () => {
    expect(kubectlOk(['api-resources', '--api-group=kubeproc.io'])).toMatch(
      /^images\s+kubeproc\.io\/v1alpha1\s+false\s+Image$/m,
    );
    const manifest = [
      'apiVersion: kubeproc.io/v1alpha1',
      'kind: Image',
      'metadata:',
      '  name: nginx',
      'spec:',
      '  image: nginx',
      '  entrypoint: [nginx]',
      '  cmd: ["-g", "daemon off;"]',
    ].join('\n');
    expect(kubectlOk(['apply', '-f', '-'], manifest)).toBe('image.kubeproc.io/nginx created\n');
    expect(kubectlOk(['apply', '-f', '-'], manifest)).toBe('image.kubeproc.io/nginx unchanged\n');
    expect(kubectlOk(['apply', '--server-side', '-f', '-'], manifest)).toBe(
      'image.kubeproc.io/nginx serverside-applied\n',
    );
    expect(kubectlOk(['get', 'images', 'nginx', '--no-headers'])).toMatch(
      /^nginx\s+nginx:latest\s+nginx\s+-g 'daemon off;'\s+\d+s\n$/,
    );
    expect(kubectlOk(['delete', 'image', 'nginx'])).toBe('image.kubeproc.io "nginx" deleted\n');
  });

  it('refuses bad input with a clear error and writes nothing', () => {
    const before = imageNames();
    const bad = kubeproc('image', 'add', 'Busybox', '--data-dir', dataDir(), '--', 'sh');
    expect(bad).toMatchObject({
      code: 2,
      stderr:
        'kubeproc: invalid image reference "Busybox": invalid reference format: repository name (library/Busybox) must be lowercase\n',
    });
    const unquoted = kubeproc('image', 'add', 'busybox', 'sh', '--data-dir', dataDir());
    expect(unquoted.code).toBe(2);
    expect(unquoted.stderr).toContain('put the image\'s command after "--"');
    const misnamed = kubectl(
      ['apply', '-f', '-'],
      'apiVersion: kubeproc.io/v1alpha1\nkind: Image\nmetadata: {name: busybox}\nspec: {image: "busybox:1.36"}\n',
    );
    expect(misnamed.code).not.toBe(0);
    expect(misnamed.stderr).toContain(
      'metadata.name: Invalid value: "busybox": must be "busybox-1.36-d55432289a", the name derived from spec.image "docker.io/library/busybox:1.36"',
    );
    const badRef = kubectl(
      ['create', '-f', '-'],
      'apiVersion: kubeproc.io/v1alpha1\nkind: Image\nmetadata: {name: x}\nspec: {image: "a b", workdir: /x}\n',
    );
    expect(badRef.code).not.toBe(0);
    expect(badRef.stderr).toContain('spec.image: Invalid value: "a b": invalid reference format');
    expect(badRef.stderr).toContain('spec.workdir: Forbidden: unknown field');
    const missing = kubeproc('image', 'rm', 'nope', '--data-dir', dataDir());
    expect(missing).toMatchObject({
      code: 1,
      stderr: 'kubeproc: image "nope" is not registered\n',
    });
    expect(imageNames()).toBe(before);
  });

  it('keeps images across a restart', async () => {
    const before = imageNames();
    expect(before).toBe(
      'image.kubeproc.io/busybox\nimage.kubeproc.io/ghostwritten.hello-world-flask\n',
    );
    await server?.stop();
    server = undefined;
    const down = kubeproc('image', 'ls', '--data-dir', dataDir());
    expect(down.code).toBe(1);
    expect(down.stderr).toBe(
      `kubeproc: kubeproc is not running with data dir ${dataDir()}; start it with: kubeproc up --data-dir ${dataDir()}\n`,
    );
    server = await start();
    expect(imageNames()).toBe(before);
    expect(kubeproc('image', 'ls', '--data-dir', dataDir()).stdout).toContain('python3 app.py');
    const rm = kubeproc(
      'image',
      'rm',
      'busybox:latest',
      'ghostwritten/hello-world-flask',
      '--data-dir',
      dataDir(),
    );
    expect(rm).toMatchObject({
      code: 0,
      stdout:
        'image.kubeproc.io/busybox deleted\nimage.kubeproc.io/ghostwritten.hello-world-flask deleted\n',
    });
    expect(imageNames()).toBe('');
    expect(kubeproc('image', 'ls', '--data-dir', dataDir()).stdout).toBe(
      'No images registered. Add one with: kubeproc image add NAME -- COMMAND [ARGS...]\n',
    );
  });
});

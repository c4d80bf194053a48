import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../meta.js';
import { kubeprocStrategies } from './strategies.js';

const strategy = kubeprocStrategies.Image!;

const image = (spec: unknown, name?: string): KubeObject => ({
  apiVersion: 'kubeproc.io/v1alpha1',
  kind: 'Image',
  metadata: name === undefined ? {} : { name },
  spec,
});

/** Defaults, then validates, as the API server does on create. */
const errors = (spec: unknown, name?: string) => {
  const obj = image(spec, name);
  strategy.default?.(obj);
  return (strategy.validate?.(obj) ?? []).map((e) => `${e.field}: ${e.detail}`);
};

describe('Image defaulting', () => {
  it('names a nameless Image after its reference, which it keeps as written', () => {
    const obj = image({ image: 'library/busybox:latest' });
    strategy.default?.(obj);
    expect(obj.metadata.name).toBe('busybox');
    expect(obj.spec).toEqual({ image: 'library/busybox:latest' });
  });

  it('keeps a given name and generateName, and leaves bad references nameless', () => {
    const named = image({ image: 'busybox:1.36' }, 'mine');
    strategy.default?.(named);
    expect(named.metadata.name).toBe('mine');
    const generated: KubeObject = { metadata: { generateName: 'x-' }, spec: { image: 'busybox' } };
    strategy.default?.(generated);
    expect(generated.metadata.name).toBeUndefined();
    const bad = image({ image: 'Busybox' });
    strategy.default?.(bad);
    expect(bad).toEqual(image({ image: 'Busybox' }));
  });
});

describe('Image validation', () => {
  it.each<[string, unknown, string | undefined, string[]]>([
    ['a minimal image', { image: 'busybox' }, 'busybox', []],
    ['another form of the same reference', { image: 'docker.io/busybox:latest' }, 'busybox', []],
    [
      'a full image',
      {
        image: 'ghostwritten/hello-world-flask:latest',
        entrypoint: ['python3'],
        cmd: ['app.py', '--port', '8080'],
        workingDir: '/srv/app',
        env: [{ name: 'FLASK_ENV', value: 'production' }, { name: 'EMPTY' }],
      },
      'ghostwritten.hello-world-flask',
      [],
    ],
    ['no spec', undefined, 'x', ['spec.image: Required value']],
    ['no image', {}, 'x', ['spec.image: Required value']],
    [
      'an uppercase reference',
      { image: 'Busybox' },
      'x',
      [
        'spec.image: Invalid value: "Busybox": invalid reference format: repository name (library/Busybox) must be lowercase',
      ],
    ],
    [
      'a name that is not derived from the reference',
      { image: 'busybox:1.36' },
      'busybox',
      [
        'metadata.name: Invalid value: "busybox": must be "busybox-1.36-d55432289a", the name derived from spec.image "docker.io/library/busybox:1.36"',
      ],
    ],
    [
      'wrong types',
      { image: 7, entrypoint: 'sh', cmd: [1], workingDir: true, env: {} },
      'x',
      [
        'spec.image: Invalid value: "integer": spec.image in body must be of type string: "integer"',
        'spec.entrypoint: Invalid value: "string": spec.entrypoint in body must be of type array: "string"',
        'spec.cmd[0]: Invalid value: "integer": spec.cmd[0] in body must be of type string: "integer"',
        'spec.workingDir: Invalid value: "boolean": spec.workingDir in body must be of type string: "boolean"',
        'spec.env: Invalid value: "object": spec.env in body must be of type array: "object"',
      ],
    ],
    [
      'an empty program',
      { image: 'busybox', entrypoint: [''], cmd: [''] },
      'busybox',
      ['spec.entrypoint[0]: Invalid value: "": must not be empty: it names the program to run'],
    ],
    [
      'an empty program in cmd without an entrypoint',
      { image: 'busybox', cmd: ['', 'x'] },
      'busybox',
      ['spec.cmd[0]: Invalid value: "": must not be empty: it names the program to run'],
    ],
    [
      'a relative working dir',
      { image: 'busybox', workingDir: 'srv' },
      'busybox',
      ['spec.workingDir: Invalid value: "srv": must be an absolute path'],
    ],
    [
      'bad env',
      {
        image: 'busybox',
        env: [
          { name: 'A=B', value: '1' },
          { value: '2' },
          { name: 'C', value: 3 },
          { name: 'C', valueFrom: {} },
          'D=4',
        ],
      },
      'busybox',
      [
        'spec.env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than \'=\'',
        'spec.env[1].name: Required value',
        'spec.env[2].value: Invalid value: "integer": spec.env[2].value in body must be of type string: "integer"',
        'spec.env[3].valueFrom: Forbidden: unknown field; known fields: "name", "value"',
        'spec.env[3].name: Duplicate value: "C"',
        'spec.env[4]: Invalid value: "string": spec.env[4] in body must be of type object: "string"',
      ],
    ],
    [
      'an unknown field',
      { image: 'busybox', workdir: '/srv' },
      'busybox',
      [
        'spec.workdir: Forbidden: unknown field; known fields: "image", "entrypoint", "cmd", "workingDir", "env"',
      ],
    ],
  ])('%s', (_name, spec, name, expected) => {
    expect(errors(spec, name)).toEqual(expected);
  });
});

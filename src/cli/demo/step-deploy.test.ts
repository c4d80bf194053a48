import { describe, expect, it } from 'vitest';
import { displayPath } from './step-deploy.js';

describe('displayPath', () => {
  it.each([
    ['/work/main/examples/hello-flask/hpa.yaml', '/work/main', 'examples/hello-flask/hpa.yaml'],
    [
      '/work/main/examples/hello-flask/hpa.yaml',
      '/tmp',
      '/work/main/examples/hello-flask/hpa.yaml',
    ],
    ['/work/main', '/work/main', '/work/main'],
  ])('%s from %s', (path, cwd, shown) => {
    expect(displayPath(path, cwd)).toBe(shown);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { CONFIGMAPS } from '../../client/resources.js';
import { createInMemoryApi } from '../in-memory.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('generateName', () => {
  it('generates another name when the generated one is taken (RetryGenerateName)', async () => {
    const { client } = createInMemoryApi();
    // Randomness is the only input: the first two names come out equal, later ones differ.
    let calls = 0;
    vi.spyOn(Math, 'random').mockImplementation(() => (calls++ < 10 ? 0 : 0.5));
    const first = await client.create(CONFIGMAPS, {
      metadata: { generateName: 'cfg-', namespace: 'default' },
    });
    const second = await client.create(CONFIGMAPS, {
      metadata: { generateName: 'cfg-', namespace: 'default' },
    });
    expect(first.metadata.name).toBe('cfg-bbbbb');
    expect(second.metadata.name).toMatch(/^cfg-\w{5}$/);
    expect(second.metadata.name).not.toBe(first.metadata.name);
  });

  it('still refuses a taken explicit name', async () => {
    const { client } = createInMemoryApi();
    await client.create(CONFIGMAPS, { metadata: { name: 'fixed', namespace: 'default' } });
    await expect(
      client.create(CONFIGMAPS, { metadata: { name: 'fixed', namespace: 'default' } }),
    ).rejects.toMatchObject({
      reason: 'AlreadyExists',
    });
  });
});

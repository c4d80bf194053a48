import { describe, expect, it } from 'vitest';
import { ResizeDecoder } from './resize.js';

describe('ResizeDecoder', () => {
  it.each([
    ['{"Width":80,"Height":24}', [{ width: 80, height: 24 }]],
    ['{"width":100,"height":40}\n', [{ width: 100, height: 40 }]],
    [
      '{"Width":1,"Height":2}{"Width":3,"Height":4}',
      [
        { width: 1, height: 2 },
        { width: 3, height: 4 },
      ],
    ],
    [' {"Height":5} ', [{ width: 0, height: 5 }]],
    ['{"Width":80,"Height":24,"x":{"y":"}"}}', [{ width: 80, height: 24 }]],
  ])('%s', (input, sizes) => {
    expect(new ResizeDecoder().push(input)).toEqual(sizes);
  });

  it('joins an object split across chunks', () => {
    const d = new ResizeDecoder();
    expect(d.push('{"Width":1')).toEqual([]);
    expect(d.push('20,"Height":30}{"Wid')).toEqual([{ width: 120, height: 30 }]);
    expect(d.push('th":7,"Height":8}')).toEqual([{ width: 7, height: 8 }]);
  });

  it.each([
    '[1,2]',
    '{"Width":-1,"Height":2}',
    '{"Width":70000,"Height":2}',
    '{"Width":"80"}',
    '{bad}',
  ])('stops for good at a malformed value: %s', (bad) => {
    const d = new ResizeDecoder();
    expect(d.push(`{"Width":1,"Height":1}${bad}`)).toEqual([{ width: 1, height: 1 }]);
    expect(d.push('{"Width":2,"Height":2}')).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePrometheus } from './fake-prometheus.js';
import type { FakeAnswer } from './fake-prometheus.js';
import { PromClient, PromError, envelopeData, parseQueryData } from './prom-client.js';

const fake = new FakePrometheus();
let url = '';
beforeAll(async () => {
  url = await fake.start();
});
afterAll(() => fake.stop());

const json = (code: number, body: unknown): FakeAnswer => ({ code, body });

describe('PromClient against an HTTP server', () => {
  it('posts an instant query and reads the vector', async () => {
    fake.answer = () =>
      json(200, {
        status: 'success',
        data: {
          resultType: 'vector',
          result: [{ metric: { pod: 'a' }, value: [1700000000.5, '42.25'] }],
        },
      });
    const result = await new PromClient({ url: `${url}/` }).query('up{job="x"}', 1_700_000_000_000);
    expect(result).toEqual({
      type: 'vector',
      vector: [{ metric: { pod: 'a' }, timestampMs: 1_700_000_000_500, value: 42.25 }],
    });
    const last = fake.requests.at(-1);
    expect(last?.path).toBe('/api/v1/query');
    expect(last?.form.get('query')).toBe('up{job="x"}');
    expect(last?.form.get('time')).toBe('1700000000.000');
  });

  it('lists series with match[] and start', async () => {
    fake.answer = () => json(200, { status: 'success', data: [{ __name__: 'up', job: 'x' }] });
    const series = await new PromClient({ url }).series('{job="x"}', 1_000_000);
    expect(series).toEqual([{ __name__: 'up', job: 'x' }]);
    const last = fake.requests.at(-1);
    expect(last?.path).toBe('/api/v1/series');
    expect(last?.form.getAll('match[]')).toEqual(['{job="x"}']);
    expect(last?.form.get('start')).toBe('1000.000');
  });

  it("turns Prometheus' error answer into a PromError with its errorType", async () => {
    fake.answer = () =>
      json(400, { status: 'error', errorType: 'bad_data', error: 'parse error at char 3' });
    const err = await new PromClient({ url }).query('sum(').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PromError);
    expect(err).toMatchObject({ code: 'PromQueryError', errorType: 'bad_data' });
    expect((err as Error).message).toBe('bad_data: parse error at char 3');
  });

  it('gives up after the timeout', async () => {
    fake.answer = () => ({}); // never answers
    const err = await new PromClient({ url, timeoutMs: 100 }).query('up').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PromTimeout' });
  });

  it('says when nothing listens', async () => {
    const err = await new PromClient({ url: 'http://127.0.0.1:1' })
      .query('up')
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PromUnreachable' });
  });
});

describe('Prometheus API answers', () => {
  it.each([
    [503, 'Service Unavailable', 'PromHttpError'],
    [200, '<html>not prometheus</html>', 'PromBadResponse'],
    [200, '{"status":"weird"}', 'PromBadResponse'],
  ])('HTTP %d %j is %s', (code, text, errCode) => {
    expect(() => envelopeData(code, text)).toThrow(expect.objectContaining({ code: errCode }));
  });

  it.each([
    [
      { resultType: 'scalar', result: [10, '1.5'] },
      { type: 'scalar', scalar: { timestampMs: 10_000, value: 1.5 } },
    ],
    [{ resultType: 'matrix', result: [] }, { type: 'matrix' }],
    [
      { resultType: 'vector', result: [] },
      { type: 'vector', vector: [] },
    ],
  ])('parses %j', (data, want) => {
    expect(parseQueryData(data)).toEqual(want);
  });

  it.each([
    ['NaN', NaN],
    ['+Inf', Infinity],
    ['-Inf', -Infinity],
    ['1e3', 1000],
  ])('reads the sample value %s', (text, want) => {
    const r = parseQueryData({ resultType: 'vector', result: [{ metric: {}, value: [0, text] }] });
    expect(r.type === 'vector' ? r.vector[0]?.value : undefined).toBe(want);
  });

  it.each([
    [{ resultType: 'vector', result: {} }],
    [{ resultType: 'vector', result: [{ metric: {}, value: [0] }] }],
    [{ resultType: 'bogus' }],
  ])('refuses %j', (data) => {
    expect(() => parseQueryData(data)).toThrow(PromError);
  });
});

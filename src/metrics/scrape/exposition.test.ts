import { describe, expect, it } from 'vitest';
import { ExpositionError, parseExposition, parseSampleValue } from './exposition.js';

describe('parseSampleValue', () => {
  it.each([
    ['1', 1],
    ['-2.5', -2.5],
    ['1e3', 1000],
    ['.5', 0.5],
    ['+Inf', Infinity],
    ['-Inf', -Infinity],
    ['NaN', NaN],
    ['nan', NaN],
  ])('%s -> %d', (text, value) => {
    expect(parseSampleValue(text)).toBe(value);
  });

  it.each(['', 'abc', '1,5', '0x10', '1e'])('rejects %j', (text) => {
    expect(parseSampleValue(text)).toBeUndefined();
  });
});

describe('parseExposition', () => {
  it('reads samples, labels with escapes, TYPE lines, and skips comments and blank lines', () => {
    const body = [
      '# HELP http_requests_total Requests.',
      '# TYPE http_requests_total counter',
      'http_requests_total{code="200",path="/a \\"b\\"\\\\c\\nd"} 1027 1395066363000',
      'http_requests_total{code="500",} 3',
      '',
      '# a comment',
      'total_hit_count 132',
      'up { job = "x" } 1',
      'no_labels_with_tab\t+Inf',
      '# EOF',
    ].join('\n');
    const { samples, types } = parseExposition(body);
    expect(samples).toEqual([
      { name: 'http_requests_total', labels: { code: '200', path: '/a "b"\\c\nd' }, value: 1027 },
      { name: 'http_requests_total', labels: { code: '500' }, value: 3 },
      { name: 'total_hit_count', labels: {}, value: 132 },
      { name: 'up', labels: { job: 'x' }, value: 1 },
      { name: 'no_labels_with_tab', labels: {}, value: Infinity },
    ]);
    expect(types.get('http_requests_total')).toBe('counter');
  });

  it('accepts CRLF line ends', () => {
    expect(parseExposition('a 1\r\nb 2\r\n').samples.map((s) => s.value)).toEqual([1, 2]);
  });

  it.each([
    ['a{b="c', 1, 'unterminated label value'],
    ['a{b="c"', 1, "expected ',' or '}' after label \"b\""],
    ['ok 1\nbad value', 2, 'expected float as value, got "value"'],
    ['a{1b="c"} 1', 1, 'invalid label name'],
    ['a{b="c\\x"} 1', 1, "invalid escape sequence '\\x'"],
    ['a{b="c",b="d"} 1', 1, 'duplicate label name "b"'],
    ['a{b="c" d="e"} 1', 1, "expected ',' or '}'"],
    ['a', 1, 'expected a value after metric "a"'],
    ['a 1 2 3', 1, 'expected an integer timestamp'],
    ['a 1 1.5', 1, 'expected an integer timestamp'],
    ['{a="b"} 1', 1, 'invalid metric name'],
    ['<html>', 1, 'invalid metric name'],
    ['# TYPE a countr', 1, 'unknown metric type "countr"'],
    ['# TYPE a', 1, 'expected "# TYPE <metric name> <type>"'],
  ])('fails %j at line %i: %s', (body, line, message) => {
    const run = () => parseExposition(body);
    expect(run).toThrow(ExpositionError);
    expect(run).toThrow(`text format parsing error in line ${line}: ${message}`);
  });

  it('fails past the sample limit, as sample_limit does', () => {
    const body = Array.from({ length: 11 }, (_, i) => `m{i="${i}"} 1`).join('\n');
    expect(parseExposition(body, 11).samples).toHaveLength(11);
    expect(() => parseExposition(body, 10)).toThrow('sample limit exceeded: more than 10 samples');
  });
});

// Tests: Go time.Parse error texts for RFC 3339 timestamps.
import { describe, expect, it } from 'vitest';
import { goTimeParseError, RFC3339, RFC3339_MICRO } from './go-time.js';

describe('goTimeParseError', () => {
  it.each([
    [RFC3339, '2024-01-02T03:04:05Z'],
    [RFC3339, '2024-01-02T03:04:05.123Z'],
    [RFC3339, '2024-01-02T03:04:05+02:00'],
    [RFC3339, '2024-02-29T00:00:00Z'],
    [RFC3339_MICRO, '2024-01-02T03:04:05.123456Z'],
  ] as const)('accepts %s %j', (layout, value) => {
    expect(goTimeParseError(layout, value)).toBeUndefined();
  });

  const L = '"2006-01-02T15:04:05Z07:00"';
  it.each([
    ['now', `parsing time "now" as ${L}: cannot parse "now" as "2006"`],
    [
      '2024/01/02T03:04:05Z',
      `parsing time "2024/01/02T03:04:05Z" as ${L}: cannot parse "/01/02T03:04:05Z" as "-"`,
    ],
    [
      '2024-1-02T03:04:05Z',
      `parsing time "2024-1-02T03:04:05Z" as ${L}: cannot parse "1-02T03:04:05Z" as "01"`,
    ],
    [
      '2024-01-02 03:04:05Z',
      `parsing time "2024-01-02 03:04:05Z" as ${L}: cannot parse " 03:04:05Z" as "T"`,
    ],
    [
      '2024-01-02T03:04:05',
      `parsing time "2024-01-02T03:04:05" as ${L}: cannot parse "" as "Z07:00"`,
    ],
    ['2024-13-02T03:04:05Z', 'parsing time "2024-13-02T03:04:05Z": month out of range'],
    ['2024-01-02T25:04:05Z', 'parsing time "2024-01-02T25:04:05Z": hour out of range'],
    ['2023-02-29T00:00:00Z', 'parsing time "2023-02-29T00:00:00Z": day out of range'],
    ['2024-01-02T03:04:05Zjunk', 'parsing time "2024-01-02T03:04:05Zjunk": extra text: "junk"'],
  ])('rejects %j', (value, message) => {
    expect(goTimeParseError(RFC3339, value)).toBe(message);
  });

  it('requires six fraction digits for MicroTime', () => {
    expect(goTimeParseError(RFC3339_MICRO, '2024-01-02T03:04:05Z')).toBe(
      'parsing time "2024-01-02T03:04:05Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as ".000000"',
    );
  });
});

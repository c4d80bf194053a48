import { describe, expect, it } from 'vitest';
import { formatLogLine, summarizeLog } from './log-tail.js';

const line = (time: number, msg: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ level: 40, time, pid: 1, hostname: 'vm', msg, ...extra });

describe('formatLogLine', () => {
  it.each([
    [
      line(Date.UTC(2026, 0, 1, 5, 16, 2), 'sync failed, will retry', {
        controller: 'deployment',
        err: { message: 'the object has been modified' },
      }),
      '05:16:02 warn deployment: sync failed, will retry (the object has been modified)',
    ],
    [
      JSON.stringify({ level: 30, time: Date.UTC(2026, 0, 1), msg: 'listening' }),
      '00:00:00 info listening',
    ],
    ['not json', 'not json'],
  ])('%s', (input, expected) => {
    expect(formatLogLine(input)).toBe(expected);
  });
});

describe('summarizeLog', () => {
  it('folds repeats (whatever their time) and keeps the last lines', () => {
    const text = [
      line(0, 'first'),
      line(1000, 'again'),
      line(2000, 'again'),
      line(3000, 'again'),
      line(4000, 'last'),
      '',
    ].join('\n');
    expect(summarizeLog(text, 2)).toEqual(['00:00:01 warn again (x3)', '00:00:04 warn last']);
    expect(summarizeLog(text, 10)).toHaveLength(3);
  });
});

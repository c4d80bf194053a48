// metav1.Time / MicroTime parsing: Go's time.Parse with the RFC 3339 layouts, reduced to the
// elements those layouts use, so a bad timestamp gets the same error text as from Kubernetes.
import { goQuote } from '../validation/go-format.js';

export const RFC3339 = '2006-01-02T15:04:05Z07:00';
export const RFC3339_MICRO = '2006-01-02T15:04:05.000000Z07:00';

type Std = 'year' | 'month' | 'day' | 'hour' | 'min' | 'sec' | 'frac6' | 'tz';
type Elem = { lit: string } | { std: Std };

const ELEMS: Record<string, Elem[]> = {
  [RFC3339]: elems(false),
  [RFC3339_MICRO]: elems(true),
};

function elems(micro: boolean): Elem[] {
  const list: Elem[] = [{ std: 'year' }, { lit: '-' }, { std: 'month' }, { lit: '-' }];
  list.push({ std: 'day' }, { lit: 'T' }, { std: 'hour' }, { lit: ':' }, { std: 'min' });
  list.push({ lit: ':' }, { std: 'sec' });
  if (micro) {
    list.push({ std: 'frac6' });
  }
  list.push({ std: 'tz' });
  return list;
}

const STD_TEXT = {
  year: '2006',
  month: '01',
  day: '02',
  hour: '15',
  min: '04',
  sec: '05',
  frac6: '.000000',
  tz: 'Z07:00',
};
const isDigit = (s: string, i: number): boolean => s[i] !== undefined && s[i] >= '0' && s[i] <= '9';

/** The error time.Parse(layout, value) gives, or undefined when the value parses. */
export function goTimeParseError(
  layout: typeof RFC3339 | typeof RFC3339_MICRO,
  value: string,
): string | undefined {
  const head = `parsing time ${goQuote(value)}`;
  const cannot = (rest: string, elem: string): string =>
    `${head} as ${goQuote(layout)}: cannot parse ${goQuote(rest)} as ${goQuote(elem)}`;
  let rest = value;
  const nums: Record<string, number> = {};
  for (const el of ELEMS[layout] ?? []) {
    if ('lit' in el) {
      if (!rest.startsWith(el.lit)) {
        return cannot(rest, el.lit);
      }
      rest = rest.slice(el.lit.length);
      continue;
    }
    const r = PARSERS[el.std](rest, layout === RFC3339_MICRO);
    if (r === undefined) {
      return cannot(rest, STD_TEXT[el.std]);
    }
    const range = RANGES[el.std];
    if (range?.bad(r.n)) {
      return `${head}: ${range.name} out of range`;
    }
    nums[el.std] = r.n;
    rest = r.rest;
  }
  return afterLayout(head, rest, nums);
}

// Checks time.Parse makes once the whole layout has been read.
function afterLayout(head: string, rest: string, nums: Record<string, number>): string | undefined {
  if (rest !== '') {
    return `${head}: extra text: ${goQuote(rest)}`;
  }
  const day = nums.day ?? 1;
  if (day < 1 || day > daysIn(nums.month ?? 1, nums.year ?? 0)) {
    return `${head}: day out of range`;
  }
  return undefined;
}

// Elements time.Parse range-checks as it reads them, with the name its error uses.
const RANGES: Partial<Record<Std, { name: string; bad: (n: number) => boolean }>> = {
  month: { name: 'month', bad: (n) => n < 1 || n > 12 },
  hour: { name: 'hour', bad: (n) => n >= 24 },
  min: { name: 'minute', bad: (n) => n >= 60 },
  sec: { name: 'second', bad: (n) => n >= 60 },
};

const PARSERS: Record<Std, (s: string, layoutHasFraction: boolean) => Parsed | undefined> = {
  year: (s) => (/^\d{4}/.test(s) ? { n: Number(s.slice(0, 4)), rest: s.slice(4) } : undefined),
  month: (s) => getnum(s, true),
  day: (s) => getnum(s, true),
  hour: (s) => getnum(s, false),
  min: (s) => getnum(s, true),
  sec: (s, layoutHasFraction) => {
    const r = getnum(s, true);
    // A fraction the layout does not spell out is still accepted after the seconds.
    const frac = r && !layoutHasFraction && /^[.,]\d+/.exec(r.rest);
    return r && frac ? { n: r.n, rest: r.rest.slice(frac[0].length) } : r;
  },
  frac6: (s) => (/^[.,]\d{6}/.test(s) ? { n: 0, rest: s.slice(7) } : undefined),
  tz: (s) => parseZone(s),
};

interface Parsed {
  n: number;
  rest: string;
}

function getnum(s: string, fixed: boolean): Parsed | undefined {
  if (!isDigit(s, 0)) {
    return undefined;
  }
  if (!isDigit(s, 1)) {
    return fixed ? undefined : { n: Number(s[0]), rest: s.slice(1) };
  }
  return { n: Number(s.slice(0, 2)), rest: s.slice(2) };
}

function parseZone(s: string): Parsed | undefined {
  if (s.startsWith('Z')) {
    return { n: 0, rest: s.slice(1) };
  }
  if (s.length < 6 || s[3] !== ':' || (s[0] !== '+' && s[0] !== '-')) {
    return undefined;
  }
  if (!/^\d\d$/.test(s.slice(1, 3)) || !/^\d\d$/.test(s.slice(4, 6))) {
    return undefined;
  }
  return { n: 0, rest: s.slice(6) };
}

function daysIn(month: number, year: number): number {
  if (month === 2) {
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

// Prometheus durations (`1m30s`, `500ms`, `1h`) and byte sizes (`10MiB`) as ServiceMonitors
// write them: parsing and the patterns the CRD validates them with.

/** The CRD's pattern for interval and scrapeTimeout. */
export const DURATION_PATTERN =
  '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$';

/** The CRD's pattern for bodySizeLimit. */
export const BYTE_SIZE_PATTERN = '(^0|([0-9]*[.])?[0-9]+((K|M|G|T|E|P)i?)?B)$';

const UNITS_MS: [string, number][] = [
  ['y', 365 * 24 * 3600_000],
  ['w', 7 * 24 * 3600_000],
  ['d', 24 * 3600_000],
  ['h', 3600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

/** Milliseconds of a Prometheus duration; undefined when it does not match the pattern. */
export function parsePromDuration(text: string): number | undefined {
  if (text === '0') {
    return 0;
  }
  const m = new RegExp(DURATION_PATTERN).exec(text);
  if (!m || text === '') {
    return undefined;
  }
  let total = 0;
  // Capture groups 3, 5, ... 15 hold the numbers of y, w, d, h, m, s, ms.
  UNITS_MS.forEach(([, ms], i) => {
    const n = m[3 + 2 * i];
    if (n !== undefined) {
      total += Number(n) * ms;
    }
  });
  return total;
}

const BYTE_UNITS: Record<string, number> = {
  '': 1,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** Bytes of a size such as `10MiB` or `512KB`; undefined when it does not match the pattern. */
export function parseByteSize(text: string): number | undefined {
  if (text === '0') {
    return 0;
  }
  const m = /^(([0-9]*[.])?[0-9]+)((K|M|G|T|E|P)i?)?B$/.exec(text);
  if (!m) {
    return undefined;
  }
  return Number(m[1]) * (BYTE_UNITS[m[3] ?? ''] ?? 1);
}

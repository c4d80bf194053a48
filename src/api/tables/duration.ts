// Human-readable ages for Table cells, with the same cut-offs as apimachinery's
// util/duration HumanDuration (AGE, LAST SEEN, RESTARTS "(5m ago)", job DURATION).

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Formats a duration in milliseconds the way `kubectl get` shows ages: `45s`, `3m20s`, `5d2h`, `2y30d`. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  // Up to a second of clock skew in the future still reads as "now".
  if (seconds < -1) {
    return '<invalid>';
  }
  if (seconds < 0) {
    return '0s';
  }
  if (seconds < 120) {
    return `${seconds}s`;
  }
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) {
    return withRemainder(minutes, 'm', seconds % 60, 's');
  }
  if (minutes < 180) {
    return `${minutes}m`;
  }
  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) {
    return withRemainder(hours, 'h', minutes % 60, 'm');
  }
  if (hours < 48) {
    return `${hours}h`;
  }
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    return withRemainder(days, 'd', hours % 24, 'h');
  }
  if (hours < 24 * 365 * 2) {
    return `${days}d`;
  }
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    return withRemainder(years, 'y', days % 365, 'd');
  }
  return `${years}y`;
}

function withRemainder(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor === 0 ? `${major}${majorUnit}` : `${major}${majorUnit}${minor}${minorUnit}`;
}

/**
 * Parses a metav1.Time / MicroTime string; undefined for absent, unparseable or Go zero times
 * (`0001-01-01T00:00:00Z`), which upstream treats as "no timestamp".
 */
export function parseTime(ts: unknown): number | undefined {
  if (typeof ts !== 'string' || ts === '') {
    return undefined;
  }
  const ms = Date.parse(ts);
  if (Number.isNaN(ms) || new Date(ms).getUTCFullYear() <= 1) {
    return undefined;
  }
  return ms;
}

/** Age of a timestamp relative to `now`, or `<unknown>` when the timestamp is absent. */
export function translateTimestampSince(ts: string | undefined, now: Date): string {
  const ms = parseTime(ts);
  return ms === undefined ? '<unknown>' : humanDuration(now.getTime() - ms);
}

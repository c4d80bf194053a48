// Go-style durations on the command line (`500ms`, `10s`, `5m`, `1m30s`), as Kubernetes' flags.
import { UsageError } from './output.js';

/** `text` in milliseconds; zero only where `allowZero` (e.g. a stabilization window of 0s). */
export function parseDuration(flag: string, text: string, allowZero = false): number {
  if (allowZero && text === '0') {
    return 0;
  }
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  const rest = text.replace(/(\d+(?:\.\d+)?)(ms|s|m|h)/g, (_m, n: string, unit: string) => {
    total += Number(n) * (units[unit] ?? 0);
    return '';
  });
  if (rest !== '' || text === '' || total < 0 || (total === 0 && !allowZero)) {
    throw new UsageError(
      `invalid --${flag} "${text}": expected a duration such as 10s, 500ms or 5m`,
    );
  }
  return total;
}

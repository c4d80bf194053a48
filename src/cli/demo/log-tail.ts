// kubeproc's JSON log lines (pino) made readable for a failure report: time, level, component,
// message and error, with repeats of the same line folded into one.

const LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

interface LogRecord {
  time?: number;
  level?: number;
  controller?: string;
  component?: string;
  msg?: string;
  err?: { message?: string };
}

/** One log line in words: `05:16:02 warn deployment: sync failed, will retry (Operation ...)`. */
export function formatLogLine(line: string): string {
  let rec: LogRecord;
  try {
    rec = JSON.parse(line) as LogRecord;
  } catch {
    return line;
  }
  const time = rec.time === undefined ? '' : new Date(rec.time).toISOString().slice(11, 19);
  const level = LEVELS[rec.level ?? 30] ?? String(rec.level);
  const who = rec.controller ?? rec.component;
  const err = rec.err?.message === undefined ? '' : ` (${rec.err.message})`;
  return `${time} ${level} ${who === undefined ? '' : `${who}: `}${rec.msg ?? ''}${err}`.trim();
}

/** The last `count` distinct lines of a log, formatted, repeats folded as `(x3)`. */
export function summarizeLog(text: string, count: number): string[] {
  const out: { text: string; times: number }[] = [];
  for (const line of text.split('\n').filter((l) => l.trim() !== '')) {
    const formatted = formatLogLine(line);
    // Compare without the timestamp, so one message repeated over seconds folds too.
    const last = out.at(-1);
    if (last && last.text.slice(9) === formatted.slice(9)) {
      last.times++;
    } else {
      out.push({ text: formatted, times: 1 });
    }
  }
  return out.slice(-count).map((l) => (l.times > 1 ? `${l.text} (x${l.times})` : l.text));
}

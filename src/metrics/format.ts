// How metrics-server writes usage and windows: cpu as a nanocore quantity (DecimalSI, so `250m`,
// `12345678n`), memory as a byte quantity (BinarySI, so `5120Ki`), windows as Go durations.
import { Quantity } from '../lib/quantity.js';

/** CPU usage in nanocores as its canonical quantity (`0`, `12345678n`, `250m`, `2`). */
export function formatCpu(nanoCores: number): string {
  return new Quantity(BigInt(Math.max(0, Math.trunc(nanoCores))), -9, 'DecimalSI').toString();
}

/** Memory in bytes as its canonical quantity (`512`, `5120Ki`, `12Mi`). */
export function formatMemory(bytes: number): string {
  return new Quantity(BigInt(Math.max(0, Math.trunc(bytes))), 0, 'BinarySI').toString();
}

/** A duration in milliseconds as Go's time.Duration prints it: `500ms`, `15s`, `1.5s`, `1m0s`. */
export function goDuration(ms: number): string {
  const total = Math.round(Math.abs(ms));
  const sign = ms < 0 && total > 0 ? '-' : '';
  if (total === 0) {
    return '0s';
  }
  if (total < 1000) {
    return `${sign}${total}ms`;
  }
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const millis = total % 60_000;
  const fraction = millis % 1000;
  const seconds = `${Math.floor(millis / 1000)}${
    fraction ? `.${String(fraction).padStart(3, '0').replace(/0+$/, '')}` : ''
  }s`;
  if (hours > 0) {
    return `${sign}${hours}h${minutes}m${seconds}`;
  }
  return minutes > 0 ? `${sign}${minutes}m${seconds}` : `${sign}${seconds}`;
}

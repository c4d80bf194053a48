// The server-side Table for `kubectl get images`: NAME, IMAGE (familiar form), ENTRYPOINT, CMD,
// AGE, and WORKING DIR with -o wide. It lives here because apis/ may not import api/tables.
import type { KubeObject } from '../meta.js';
import type { ColumnDefinition, TablePrinter } from '../resource-type.js';
import { checkImageReference, familiarImageReference } from './reference.js';
import type { ImageSpec } from './types.js';

const column = (name: string, description: string, priority = 0): ColumnDefinition => ({
  name,
  type: 'string',
  format: '',
  description,
  priority,
});

const COLUMNS: ColumnDefinition[] = [
  { ...column('Name', 'Name of the object.'), format: 'name' },
  column('Image', 'The image reference, in the short form Docker shows.'),
  column('Entrypoint', 'The command run for the image; a container command replaces it.'),
  column('Cmd', 'Default arguments; container args replace them.'),
  column('Age', 'Time since the object was created.'),
  column('Working Dir', 'Working directory of the process.', 1),
];

const PLAIN_WORD = /^[\w@%+=:,./-]+$/;

/** A word as a POSIX shell would need it: bare when safe, else single-quoted. */
export function shellQuote(word: string): string {
  return PLAIN_WORD.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Words joined for display, `<none>` when there are none. */
export function formatWords(words: unknown): string {
  if (!Array.isArray(words) || words.length === 0) {
    return '<none>';
  }
  return words.map((w) => shellQuote(String(w))).join(' ');
}

function imageCell(image: unknown): string {
  if (typeof image !== 'string') {
    return '';
  }
  const { ref } = checkImageReference(image);
  return ref ? familiarImageReference(ref) : image;
}

/** Printer for `images.kubeproc.io`. */
export const imagePrinter: TablePrinter = {
  columns: COLUMNS,
  cells(obj: KubeObject, now: Date): unknown[] {
    const spec = (obj.spec ?? {}) as Partial<ImageSpec>;
    return [
      obj.metadata.name ?? '',
      imageCell(spec.image),
      formatWords(spec.entrypoint),
      formatWords(spec.cmd),
      age(obj.metadata.creationTimestamp, now),
      spec.workingDir || '<none>',
    ];
  },
};

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** The AGE cell, with apimachinery's HumanDuration cut-offs (`45s`, `3m20s`, `5d2h`, `2y30d`). */
export function age(timestamp: string | undefined, now: Date): string {
  const created = timestamp ? Date.parse(timestamp) : NaN;
  if (Number.isNaN(created)) {
    return '<unknown>';
  }
  const ms = now.getTime() - created;
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) {
    return '<invalid>';
  }
  if (seconds < 120) {
    return `${Math.max(seconds, 0)}s`;
  }
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) {
    return pair(minutes, 'm', seconds % 60, 's');
  }
  if (minutes < 180) {
    return `${minutes}m`;
  }
  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) {
    return pair(hours, 'h', minutes % 60, 'm');
  }
  if (hours < 48) {
    return `${hours}h`;
  }
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    return pair(days, 'd', hours % 24, 'h');
  }
  if (hours < 24 * 365 * 2) {
    return `${days}d`;
  }
  const years = Math.trunc(days / 365);
  return hours < 24 * 365 * 8 ? pair(years, 'y', days % 365, 'd') : `${years}y`;
}

function pair(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor === 0 ? `${major}${majorUnit}` : `${major}${majorUnit}${minor}${minorUnit}`;
}

// The metadata.name of the Image object for a reference. Object names are DNS-1123 subdomains
// and references are not, so the name is a readable form of the reference, made unique by a hash
// of the canonical reference whenever the readable form cannot be read back exactly.
import { createHash } from 'node:crypto';
import { isDNS1123Subdomain } from '../validation/validators.js';
import type { ImageReference } from './reference.js';
import {
  checkImageReference,
  familiarRepository,
  formatImageReference,
  parseImageReference,
} from './reference.js';

const HASH_LENGTH = 10;
const HASH_SUFFIX_RE = new RegExp(`-[0-9a-f]{${HASH_LENGTH}}$`);
const MAX_NAME_LENGTH = 253;
const SHORT_DIGEST_LENGTH = 12;

/**
 * The Image object name for a normalized reference.
 *
 * 1. The readable form is the familiar repository with `/` written as `.`, plus `:tag` unless the
 *    tag is `latest`: `busybox`, `ghostwritten.hello-world-flask`, `busybox:1.36`.
 * 2. It is the name as is when it is a DNS-1123 subdomain, does not end like a hash suffix, and
 *    reads back (`.` as `/`, tag `latest`) to the same reference: `busybox`,
 *    `ghostwritten.hello-world-flask`, `localhost.app`.
 * 3. Otherwise it is lowercased, every character outside `[a-z0-9.-]` becomes `-`, labels are
 *    trimmed to start and end alphanumeric, a digest is cut to 12 hex digits, and `-` plus the
 *    first 10 hex digits of sha256(canonical reference) is appended: `busybox-1.36-<hash>`,
 *    `localhost-5000.x-v1-<hash>`.
 *
 * Names of rule 2 never end like a hash suffix and map back to one reference; names of rule 3
 * always do, so two references share a name only if their hashes collide.
 */
export function imageObjectName(ref: ImageReference): string {
  const canonical = formatImageReference(ref);
  const readable = familiarRepository(ref).replaceAll('/', '.');
  if (
    ref.tag === 'latest' &&
    isDNS1123Subdomain(readable).length === 0 &&
    !HASH_SUFFIX_RE.test(readable) &&
    readsBackAs(readable, canonical)
  ) {
    return readable;
  }
  const hash = createHash('sha256').update(canonical).digest('hex').slice(0, HASH_LENGTH);
  const base = sanitize(readable + readableSuffix(ref), MAX_NAME_LENGTH - HASH_LENGTH - 1);
  return `${base || 'image'}-${hash}`;
}

/** The Image object name for a reference string (throws ImageReferenceError). */
export function imageObjectNameOf(reference: string): string {
  return imageObjectName(parseImageReference(reference));
}

function readableSuffix(ref: ImageReference): string {
  if (ref.digest !== undefined) {
    const colon = ref.digest.indexOf(':');
    return `@${ref.digest.slice(0, colon + 1 + SHORT_DIGEST_LENGTH)}`;
  }
  return ref.tag === undefined || ref.tag === 'latest' ? '' : `:${ref.tag}`;
}

function readsBackAs(name: string, canonical: string): boolean {
  const { ref } = checkImageReference(name.replaceAll('.', '/'));
  return ref !== undefined && formatImageReference(ref) === canonical;
}

function sanitize(text: string, maxLength: number): string {
  const labels = (s: string) =>
    s
      .split('.')
      .map((label) => label.replace(/^-+|-+$/g, ''))
      .filter((label) => label !== '')
      .join('.');
  const cleaned = labels(text.toLowerCase().replace(/[^a-z0-9.-]/g, '-'));
  return labels(cleaned.slice(0, maxLength));
}

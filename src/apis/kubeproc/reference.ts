// Image references normalized the way Docker does (distribution/reference ParseNormalizedNamed
// then ParseDockerRef): `busybox` == `library/busybox` == `docker.io/library/busybox:latest`.

/** A normalized image reference: a tag or a digest, never both (a digest wins, as in Docker). */
export interface ImageReference {
  /** Registry host and optional port: `docker.io`, `localhost:5000`. */
  domain: string;
  /** Repository path: `library/busybox`, `ghostwritten/hello-world-flask`. */
  path: string;
  tag?: string;
  digest?: string;
}

/** An unparsable image reference; the message is Docker's wording. */
export class ImageReferenceError extends Error {
  readonly code = 'INVALID_IMAGE_REFERENCE';
  override name = 'ImageReferenceError';
}

const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_PREFIX = 'library/';
const DEFAULT_TAG = 'latest';
const NAME_TOTAL_LENGTH_MAX = 255;

// The distribution/reference grammar.
const ALPHANUMERIC = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALPHANUMERIC}(?:${SEPARATOR}${ALPHANUMERIC})*`;
const REMOTE_NAME = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[(?:[a-fA-F0-9:]+)\\])`;
const DOMAIN_AND_PORT = `${HOST}(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const REFERENCE_RE = new RegExp(
  `^((?:${DOMAIN_AND_PORT}/)?${REMOTE_NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`,
);
const NAME_RE = new RegExp(`^(?:(${DOMAIN_AND_PORT})/)?(${REMOTE_NAME})$`);
const IDENTIFIER_RE = /^[a-f0-9]{64}$/;

// go-digest's registered algorithms and the length of their hex encoding.
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/** Parses and normalizes a reference; throws ImageReferenceError with Docker's message. */
export function parseImageReference(text: string): ImageReference {
  if (IDENTIFIER_RE.test(text)) {
    throw new ImageReferenceError(
      `invalid repository name (${text}), cannot specify 64-byte hexadecimal strings`,
    );
  }
  const { domain, remainder } = splitDockerDomain(text);
  const colon = remainder.indexOf(':');
  const remote = colon < 0 ? remainder : remainder.slice(0, colon);
  if (remote.toLowerCase() !== remote) {
    throw new ImageReferenceError(
      `invalid reference format: repository name (${remote}) must be lowercase`,
    );
  }
  const { name, tag, digest } = matchReference(`${domain}/${remainder}`);
  const parts = NAME_RE.exec(name);
  const ref: ImageReference = { domain: parts?.[1] ?? '', path: parts?.[2] ?? name };
  if (digest !== undefined) {
    ref.digest = digest;
  } else {
    ref.tag = tag ?? DEFAULT_TAG;
  }
  return ref;
}

// distribution/reference Parse: the grammar, the name length, the digest.
function matchReference(full: string): { name: string; tag?: string; digest?: string } {
  const m = REFERENCE_RE.exec(full);
  if (!m) {
    throw new ImageReferenceError(
      REFERENCE_RE.test(full.toLowerCase())
        ? 'repository name must be lowercase'
        : 'invalid reference format',
    );
  }
  const [, name = '', tag, digest] = m;
  if (name.length > NAME_TOTAL_LENGTH_MAX) {
    throw new ImageReferenceError(
      `repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`,
    );
  }
  if (digest !== undefined) {
    checkDigest(digest);
  }
  return {
    name,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** The parsed reference, or the problem with it in Docker's words. */
export function checkImageReference(
  text: string,
): { ref: ImageReference; problem?: undefined } | { ref?: undefined; problem: string } {
  try {
    return { ref: parseImageReference(text) };
  } catch (e) {
    if (e instanceof ImageReferenceError) {
      return { problem: e.message };
    }
    throw e;
  }
}

/** The canonical form: `docker.io/library/busybox:latest`, `localhost:5000/x@sha256:...`. */
export function formatImageReference(ref: ImageReference): string {
  return `${withDomain(ref)}${suffix(ref)}`;
}

// Docker accepts a first component that looks like a host but is not one (`a_b.c/x`) as a path
// with no domain.
function withDomain(ref: ImageReference): string {
  return ref.domain ? `${ref.domain}/${ref.path}` : ref.path;
}

/** The canonical form of a reference string (throws ImageReferenceError). */
export function normalizeImageReference(text: string): string {
  return formatImageReference(parseImageReference(text));
}

/** The familiar repository (`busybox`, `ghostwritten/app`, `quay.io/x/y`) Docker's UI shows. */
export function familiarRepository(ref: ImageReference): string {
  if (ref.domain !== DEFAULT_DOMAIN) {
    return withDomain(ref);
  }
  const official = ref.path.startsWith(OFFICIAL_PREFIX)
    ? ref.path.slice(OFFICIAL_PREFIX.length)
    : undefined;
  return official !== undefined && !official.includes('/') ? official : ref.path;
}

/** The familiar form with tag or digest: `busybox:latest`, `localhost:5000/x:v1`. */
export function familiarImageReference(ref: ImageReference): string {
  return `${familiarRepository(ref)}${suffix(ref)}`;
}

function suffix(ref: ImageReference): string {
  return ref.digest !== undefined ? `@${ref.digest}` : `:${ref.tag ?? DEFAULT_TAG}`;
}

// A first component is a registry only when it looks like a host: a dot, a port or `localhost`.
function splitDockerDomain(name: string): { domain: string; remainder: string } {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  let domain = DEFAULT_DOMAIN;
  let remainder = name;
  if (
    slash >= 0 &&
    (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first)
  ) {
    domain = first;
    remainder = name.slice(slash + 1);
  }
  if (domain === LEGACY_DEFAULT_DOMAIN) {
    domain = DEFAULT_DOMAIN;
  }
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) {
    remainder = OFFICIAL_PREFIX + remainder;
  }
  return { domain, remainder };
}

// go-digest Digest.Validate: a known algorithm with lowercase hex of the right length.
function checkDigest(digest: string): void {
  const colon = digest.indexOf(':');
  const algorithm = digest.slice(0, colon);
  const encoded = digest.slice(colon + 1);
  const length = DIGEST_HEX_LENGTH[algorithm];
  if (length === undefined) {
    throw new ImageReferenceError('unsupported digest algorithm');
  }
  if (encoded.length !== length) {
    throw new ImageReferenceError('invalid checksum digest length');
  }
  if (!/^[a-f0-9]+$/.test(encoded)) {
    throw new ImageReferenceError('invalid checksum digest format');
  }
}

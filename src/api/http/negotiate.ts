// Response negotiation from the Accept header: plain JSON, Table, or partial object metadata.

export type ResponseShape = 'json' | 'table' | 'metadata';

/** What the client asked for; Table wins when offered, as kubectl lists it first. */
export function responseShape(accept: string | undefined): ResponseShape {
  if (!accept) {
    return 'json';
  }
  for (const range of accept.split(',')) {
    const params = range
      .split(';')
      .slice(1)
      .map((p) => p.trim());
    const as = params.find((p) => p.startsWith('as='))?.slice(3);
    if (as === 'Table') {
      return 'table';
    }
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') {
      return 'metadata';
    }
  }
  return 'json';
}

/** The aggregated discovery version the client prefers, if any. */
export function aggregatedDiscoveryVersion(
  accept: string | undefined,
): 'v2' | 'v2beta1' | undefined {
  for (const range of (accept ?? '').split(',')) {
    if (!range.includes('as=APIGroupDiscoveryList')) {
      continue;
    }
    if (/v=v2beta1/.test(range)) {
      return 'v2beta1';
    }
    if (/v=v2(;|$|\s)/.test(range)) {
      return 'v2';
    }
  }
  return undefined;
}

// Server-side printing: objects to meta.k8s.io/v1 Table, and partial object metadata.
import type { KubeObject, ListMeta } from '../apis/meta.js';
import type { ResourceType, TablePrinter } from '../apis/resource-type.js';
import { defaultPrinter, printers } from './tables/index.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function printerFor(rt: ResourceType): TablePrinter {
  return (
    rt.printer ?? printers[rt.group ? `${rt.resource}.${rt.group}` : rt.resource] ?? defaultPrinter
  );
}

/** PartialObjectMetadata for an object, as `includeObject=Metadata` rows carry. */
export function partialMetadata(obj: KubeObject): object {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

export interface TableOptions {
  includeObject: IncludeObject;
  noHeaders?: boolean;
  now: Date;
  /** The object as served in the requested version, for includeObject=Object. */
  served: (stored: KubeObject) => KubeObject;
}

/** A Table of storage-version objects. */
export function toTable(
  rt: ResourceType,
  objects: KubeObject[],
  meta: ListMeta,
  opts: TableOptions,
): object {
  const printer = printerFor(rt);
  const rows = objects.map((obj) => {
    const row: Record<string, unknown> = { cells: printer.cells(obj, opts.now) };
    if (opts.includeObject === 'Object') {
      row.object = opts.served(obj);
    } else if (opts.includeObject === 'Metadata') {
      row.object = partialMetadata(obj);
    }
    return row;
  });
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: meta,
    ...(opts.noHeaders ? {} : { columnDefinitions: printer.columns }),
    rows,
  };
}

// A rule's `resources` (prometheus-adapter pkg/naming resource_converter.go, lbl_res.go): which
// series labels name which Kubernetes group-resources, through explicit overrides or a
// `<<.Group>>`/`<<.Resource>>` template that is also read backwards to recognise label names.
import type { ConfigGroupResource } from './config.js';
import { GoTemplate } from './go-template.js';
import type { RestMapper } from './rest-mapper.js';
import type { GroupResource } from '../custom/provider.js';

export const NAMESPACES: GroupResource = { group: '', resource: 'namespaces' };
const CLUSTER_SCOPED = new Set(['namespaces', 'nodes', 'persistentvolumes']);

/** Namespaces, nodes and persistent volumes: the adapter never counts their metrics as namespaced. */
export function isRootScoped(gr: GroupResource): boolean {
  return gr.group === '' && CLUSTER_SCOPED.has(gr.resource);
}

function normalize(mapper: RestMapper, gr: ConfigGroupResource): GroupResource {
  try {
    return mapper.resourceFor({ group: gr.group ?? '', resource: gr.resource });
  } catch (e) {
    const what = gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
    throw new Error(`unable to normalize group-resource ${what}: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

const grKey = (gr: GroupResource): string => `${gr.resource}.${gr.group}`;

/** Maps labels to group-resources and back for one rule. */
export class ResourceConverter {
  private readonly labelToResource = new Map<string, GroupResource>();
  private readonly resourceToLabel = new Map<string, string>();
  private readonly template: GoTemplate | undefined;
  private readonly extractor: RegExp | undefined;

  /** Throws when the template does not parse or an override names an unserved resource. */
  constructor(
    template: string | undefined,
    overrides: Record<string, ConfigGroupResource> | undefined,
    private readonly mapper: () => RestMapper,
  ) {
    if (template) {
      this.template = GoTemplate.parse(template);
      const pattern = this.template.execute({
        Group: '(?<group>.+?)',
        Resource: '(?<resource>.+?)',
      });
      if (!pattern.includes('(?<resource>')) {
        throw new Error('must include at least `<<.Resource>>` in the label template');
      }
      this.extractor = new RegExp(`^${pattern}$`);
    }
    for (const [label, gr] of Object.entries(overrides ?? {})) {
      const normalized = normalize(mapper(), gr);
      this.labelToResource.set(label, normalized);
      this.resourceToLabel.set(grKey(normalized), label);
    }
  }

  /** The label naming objects of `gr` (normalized); throws when neither override nor template. */
  labelForResource(gr: GroupResource): string {
    const known = this.resourceToLabel.get(grKey(gr));
    if (known !== undefined) {
      return known;
    }
    const what = gr.group === '' ? gr.resource : `${gr.resource}.${gr.group}`;
    if (!this.template) {
      throw new Error(
        `unable to convert resource ${what} into label: no generic resource label form specified for this metric`,
      );
    }
    const label = this.template.execute({
      Group: gr.group.replace(/[.-]/g, '_'),
      Resource: this.mapper().singular(gr.resource),
    });
    if (label === '') {
      throw new Error(`unable to convert resource ${what} into label: empty label produced`);
    }
    return label;
  }

  /** The resources a series' labels name, and whether the metric counts as namespaced. */
  resourcesForSeries(labels: Record<string, string>): {
    resources: GroupResource[];
    namespaced: boolean;
  } {
    const resources: GroupResource[] = [];
    let namespaced = false;
    for (const label of Object.keys(labels)) {
      if (label === '__name__') {
        continue;
      }
      const gr = this.resourceForLabel(label);
      if (gr) {
        resources.push(gr);
      }
      // Upstream quirk kept: any label that is not a namespace/node/PV label marks it namespaced.
      if (!gr || !isRootScoped(gr)) {
        namespaced = true;
      }
    }
    return { resources, namespaced };
  }

  private resourceForLabel(label: string): GroupResource | undefined {
    const known = this.labelToResource.get(label);
    if (known) {
      return known;
    }
    const m = this.extractor?.exec(label);
    if (!m?.groups) {
      return undefined;
    }
    try {
      const gr = this.mapper().resourceFor({
        group: m.groups.group ?? '',
        resource: m.groups.resource ?? '',
      });
      this.labelToResource.set(label, gr);
      return gr;
    } catch {
      // Most labels (instance, job, le...) name no resource: skipping them is the normal case.
      return undefined;
    }
  }
}

// Which HPA selects which pods (upstream's hpaSelectors): the selector each HPA last read from its
// target's scale, so pods claimed by two HPAs make both report AmbiguousSelector.
import type { Pod } from '../../apis/core/v1/types.js';
import type { Lister } from '../../client/informer.js';
import { parseLabelSelector } from '../../lib/labels.js';
import type { LabelSelectorMatcher } from '../../lib/labels.js';

export class SelectorIndex {
  private readonly byKey = new Map<string, { namespace: string; matcher?: LabelSelectorMatcher }>();

  /** Records the scale selector of HPA `key` (`namespace/name`). */
  set(key: string, selector: string): void {
    const namespace = key.slice(0, key.indexOf('/'));
    this.byKey.set(key, { namespace, matcher: parse(selector) });
  }

  delete(key: string): void {
    this.byKey.delete(key);
  }

  /** The pods of `namespace` that `selector` matches; none for an empty or invalid selector. */
  podsOf(pods: Lister, namespace: string, selector: string): Pod[] {
    const matcher = parse(selector);
    if (!matcher) {
      return [];
    }
    return pods.list(namespace).filter((p) => matcher.matches(p.metadata.labels));
  }

  /** Keys of the HPAs in `namespace` whose selectors match any of `pods`. */
  selecting(namespace: string, pods: readonly Pod[]): string[] {
    const keys: string[] = [];
    for (const [key, entry] of this.byKey) {
      const { matcher } = entry;
      if (
        entry.namespace === namespace &&
        matcher &&
        pods.some((p) => matcher.matches(p.metadata.labels))
      ) {
        keys.push(key);
      }
    }
    return keys.sort();
  }
}

function parse(selector: string): LabelSelectorMatcher | undefined {
  if (!selector) {
    return undefined;
  }
  try {
    return parseLabelSelector(selector);
  } catch {
    return undefined;
  }
}

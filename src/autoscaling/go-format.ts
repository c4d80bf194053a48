// Go's `%+v` rendering of a *metav1.LabelSelector (its generated String()), which upstream puts
// into external metric names and error messages: `&LabelSelector{MatchLabels:map[...]...}`.
import type { LabelSelector } from '../apis/meta.js';

function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `%+v` of a *metav1.LabelSelector; `nil` when absent. */
export function goLabelSelector(sel: LabelSelector | null | undefined): string {
  if (sel == null) {
    return 'nil';
  }
  const labels = sel.matchLabels ?? {};
  const keys = Object.keys(labels).sort(compareBytes);
  const matchLabels = `map[string]string{${keys.map((k) => `${k}: ${labels[k]},`).join('')}}`;
  const expressions = (sel.matchExpressions ?? [])
    .map(
      (e) =>
        `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`,
    )
    .join('');
  return `&LabelSelector{MatchLabels:${matchLabels},MatchExpressions:[]LabelSelectorRequirement{${expressions}},}`;
}

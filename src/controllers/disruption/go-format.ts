// Go's `%v` of a *metav1.LabelSelector (its generated String()), as upstream's events print it.
import type { LabelSelector } from '../../apis/meta.js';

/** `&LabelSelector{MatchLabels:map[string]string{app: web,},MatchExpressions:[]...{},}`. */
export function goLabelSelector(sel: LabelSelector | null | undefined): string {
  if (sel == null) {
    return 'nil';
  }
  const labels = sel.matchLabels ?? {};
  const keys = Object.keys(labels).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const matchLabels = keys.map((k) => `${k}: ${labels[k] ?? ''},`).join('');
  const expressions = (sel.matchExpressions ?? [])
    .map(
      (e) =>
        `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`,
    )
    .join('');
  return (
    `&LabelSelector{MatchLabels:map[string]string{${matchLabels}},` +
    `MatchExpressions:[]LabelSelectorRequirement{${expressions}},}`
  );
}

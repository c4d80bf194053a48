// `$(NAME)` expansion of exec probe commands from the container's static env values, as the
// kubelet's ExpandContainerCommandOnlyStatic (third_party/forked/golang/expansion) does.
import type { EnvVar } from '../../apis/core/v1/types.js';

/** Expands one string: `$$` is a literal `$`; unknown or unterminated references stay as written. */
export function expand(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (ch !== '$' || i + 1 >= input.length) {
      out += ch;
      i++;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        out += '$(';
        i += 2;
        continue;
      }
      const name = input.slice(i + 2, close);
      out += lookup(name) ?? `$(${name})`;
      i = close + 1;
    } else {
      out += `$${next}`;
      i += 2;
    }
  }
  return out;
}

/** Expands each word of a command; every env name maps to its `value` (empty for valueFrom). */
export function expandCommand(command: string[], env: EnvVar[] | undefined): string[] {
  const values = new Map<string, string>();
  for (const e of env ?? []) {
    values.set(e.name ?? '', e.value ?? '');
  }
  return command.map((word) => expand(word, (name) => values.get(name)));
}

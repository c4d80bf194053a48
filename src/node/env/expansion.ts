// Kubernetes `$(VAR)` expansion (third_party/forked/golang/expansion) and its use on a
// container's command and args (pkg/kubelet/container/helpers.go ExpandContainerCommandAndArgs).

/** A lookup that returns the value of a name, or the reference as written when none knows it. */
export type Mapping = (name: string) => string;

/** The first map holding `name` wins; an unknown name expands to `$(name)` unchanged. */
export function mappingFor(...contexts: ReadonlyMap<string, string>[]): Mapping {
  return (name) => {
    for (const vars of contexts) {
      const value = vars.get(name);
      if (value !== undefined) {
        return value;
      }
    }
    return `$(${name})`;
  };
}

/**
 * Replaces `$(NAME)` with mapping(NAME). `$$` is a literal `$`; a `$` before anything else, a
 * trailing `$` and an unterminated `$(` stay as written. The name runs to the first `)`, so
 * nested references are not expanded.
 */
export function expand(input: string, mapping: Mapping): string {
  let out = '';
  let i = 0;
  while (i < input.length) {
    const at = input.indexOf('$', i);
    if (at < 0 || at + 1 >= input.length) {
      return out + input.slice(i);
    }
    out += input.slice(i, at);
    const next = input[at + 1];
    if (next === '$') {
      out += '$';
      i = at + 2;
    } else if (next === '(') {
      const close = input.indexOf(')', at + 2);
      if (close < 0) {
        // Upstream consumes only `$(` here and keeps scanning after it.
        out += '$(';
        i = at + 2;
      } else {
        out += mapping(input.slice(at + 2, close));
        i = close + 1;
      }
    } else {
      // A lone operator is kept; the character after it is copied on the next round.
      out += '$';
      i = at + 1;
    }
  }
  return out;
}

/** Kubernetes' `$(VAR)` expansion of command and args with the container's env. */
export function expandContainerCommand(
  command: string[] | undefined,
  args: string[] | undefined,
  env: Record<string, string>,
): { command: string[]; args: string[] } {
  const vars = new Map(Object.entries(env));
  const mapping = mappingFor(vars);
  return {
    command: (command ?? []).map((word) => expand(word, mapping)),
    args: (args ?? []).map((word) => expand(word, mapping)),
  };
}

import { describe, expect, it } from 'vitest';
import { formatDuration, indent, Narrator } from './narrator.js';
import type { Terminal } from './narrator.js';

function capture(isTTY: boolean): Terminal & { text: string } {
  const term = { text: '', isTTY, write: (t: string) => (term.text += t) };
  return term;
}

describe('formatDuration', () => {
  it.each([
    [0, '0.0s'],
    [8_340, '8.3s'],
    [59_949, '59.9s'],
    [60_000, '1m00s'],
    [102_400, '1m42s'],
  ])('%d ms = %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('indent', () => {
  it('indents lines, dropping blank ones and the trailing newline', () => {
    expect(indent('NAME   AGE\n\nweb    1s\n')).toEqual(['  NAME   AGE', '  web    1s']);
    expect(indent('')).toEqual([]);
  });
});

describe('Narrator', () => {
  it('prints steps, sentences and commands with indented output', () => {
    const term = capture(false);
    const n = new Narrator(term);
    n.step(3, 6, 'Kill');
    n.command('kubectl get pods', 'NAME\nweb\n');
    n.command('kubectl exec web -- killall python3', '');
    n.say('done');
    expect(term.text).toBe(
      '\n=== 3/6 Kill\n$ kubectl get pods\n  NAME\n  web\n$ kubectl exec web -- killall python3\ndone\n',
    );
  });

  it('prints progress at most every 5 s when not on a terminal', () => {
    const term = capture(false);
    let now = 0;
    const n = new Narrator(term, () => now);
    n.progress('a');
    now = 4_000;
    n.progress('b');
    now = 5_000;
    n.progress('c');
    n.endProgress();
    n.progress('d');
    expect(term.text).toBe('  ... a\n  ... c\n  ... d\n');
  });

  it('rewrites the progress line in place on a terminal and clears it before other output', () => {
    const term = capture(true);
    const n = new Narrator(term);
    n.progress('a');
    n.progress('b');
    n.say('next');
    expect(term.text).toBe('\r\x1b[K  ... a\r\x1b[K  ... b\r\x1b[Knext\n');
  });
});

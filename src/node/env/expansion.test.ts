import { describe, expect, it } from 'vitest';
import { expand, expandContainerCommand, mappingFor } from './expansion.js';

const context = new Map([
  ['VAR_A', 'A'],
  ['VAR_B', 'B'],
  ['VAR_C', 'C'],
  ['VAR_REF', '$(VAR_A)'],
  ['VAR_EMPTY', ''],
]);

describe('expand', () => {
  // The table of third_party/forked/golang/expansion/expand_test.go.
  it.each([
    ['whole string', '$(VAR_A)', 'A'],
    ['repeat', '$(VAR_A)-$(VAR_A)', 'A-A'],
    ['beginning', '$(VAR_A)-1', 'A-1'],
    ['middle', '___$(VAR_B)___', '___B___'],
    ['end', '___$(VAR_C)', '___C'],
    ['compound', '$(VAR_A)_$(VAR_B)_$(VAR_C)', 'A_B_C'],
    ['escape & expand', '$$(VAR_B)_$(VAR_A)', '$(VAR_B)_A'],
    ['compound escape', '$$(VAR_A)_$$(VAR_B)', '$(VAR_A)_$(VAR_B)'],
    ['mixed in escapes', 'f000-$$VAR_A', 'f000-$VAR_A'],
    ['backslash escape ignored', 'foo\\$(VAR_C)bar', 'foo\\Cbar'],
    ['double backslash', 'foo\\\\$(VAR_C)bar', 'foo\\\\Cbar'],
    ['nested var references', '$(VAR_A$(VAR_B))', '$(VAR_A$(VAR_B))'],
    ['nested var references second type', '$(VAR_A$(VAR_B)', '$(VAR_A$(VAR_B)'],
    ['value is a reference (not re-expanded)', '$(VAR_REF)', '$(VAR_A)'],
    ['value is a reference x 2', '%%$(VAR_REF)--$(VAR_REF)%%', '%%$(VAR_A)--$(VAR_A)%%'],
    ['empty var', 'foo$(VAR_EMPTY)bar', 'foobar'],
    ['unterminated expression', 'foo$(VAR_Awhoops!', 'foo$(VAR_Awhoops!'],
    ['expression without operator', 'f00__(VAR_A)__', 'f00__(VAR_A)__'],
    ['shell special vars pass through', '$?_boo_$!', '$?_boo_$!'],
    ['bare operators are ignored', '$VAR_A', '$VAR_A'],
    ['undefined vars are passed through', '$(VAR_DNE)', '$(VAR_DNE)'],
    ['multiple (even) operators, var undefined', '$$$$$$(BIG_MONEY)', '$$$(BIG_MONEY)'],
    ['multiple (even) operators, var defined', '$$$$$$(VAR_A)', '$$$(VAR_A)'],
    ['multiple (odd) operators, var undefined', '$$$$$$$(GOOD_ODDS)', '$$$$(GOOD_ODDS)'],
    ['multiple (odd) operators, var defined', '$$$$$$$(VAR_A)', '$$$A'],
    ['missing open expression', '$VAR_A)', '$VAR_A)'],
    ['shell syntax ignored', '${VAR_A}', '${VAR_A}'],
    ['trailing incomplete expression not consumed', '$(VAR_B)_______$(A', 'B_______$(A'],
    ['trailing incomplete expression, no content', '$(VAR_C)_______$(', 'C_______$('],
    ['operator at end of input string is preserved', '$(VAR_A)foobarzab$', 'Afoobarzab$'],
    ['shell escaped incomplete expr', 'foo-\\$(VAR_A', 'foo-\\$(VAR_A'],
    ['lots of $( in middle', '--$($($($($--', '--$($($($($--'],
    ['lots of $( in beginning', '$($($($($--foo$(', '$($($($($--foo$('],
    ['lots of $( at end', 'foo0--$($($($(', 'foo0--$($($($('],
    ['escaped operators in variable names are not escaped', '$(foo$$var)', '$(foo$$var)'],
    ['newline not expanded', '\n', '\n'],
    ['empty input', '', ''],
    ['lone operator', '$', '$'],
    ['operator before a non-BMP character', '$😀$(VAR_A)', '$😀A'],
    ['empty name', '$()', '$()'],
  ])('%s: %j → %j', (_name, input, expected) => {
    expect(expand(input, mappingFor(context))).toBe(expected);
  });

  it('takes a name from the first context that has it', () => {
    const mapping = mappingFor(
      new Map([['X', 'first']]),
      new Map([
        ['X', 'second'],
        ['Y', 'y'],
      ]),
    );
    expect(expand('$(X)-$(Y)', mapping)).toBe('first-y');
  });

  it('expands the name verbatim, including spaces', () => {
    expect(expand('$(A B)', mappingFor(new Map([['A B', 'ok']])))).toBe('ok');
  });
});

describe('expandContainerCommand', () => {
  it('expands command and args with the env, leaving unknown references', () => {
    const env = { GREETING: 'hello', WHO: 'world' };
    expect(
      expandContainerCommand(['/bin/echo', '$(GREETING)'], ['$(WHO)', '$$(WHO)', '$(NOPE)'], env),
    ).toEqual({ command: ['/bin/echo', 'hello'], args: ['world', '$(WHO)', '$(NOPE)'] });
  });

  it('returns empty lists for a missing command or args', () => {
    expect(expandContainerCommand(undefined, undefined, {})).toEqual({ command: [], args: [] });
  });

  it('never resolves names from the object prototype', () => {
    expect(expandContainerCommand(['$(constructor)', '$(toString)'], [], {}).command).toEqual([
      '$(constructor)',
      '$(toString)',
    ]);
  });
});

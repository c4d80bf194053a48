// Upstream messages of the generic validators, case by case (cases follow validation_test.go).
import { describe, expect, it } from 'vitest';
import { isConfigMapKey, isEnvVarName, isRelaxedEnvVarName } from './key-validators.js';
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidCIDR,
  isValidIP,
  isValidLabelValue,
  isValidPercent,
  isValidPortName,
  isValidPortNum,
} from './validators.js';

const LABEL_REGEX =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_REGEX =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const QNAME_REGEX =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

describe('isDNS1123Label', () => {
  it.each(['a', 'ab', 'a-b', '0', 'a'.repeat(63), '1-2'])('accepts %j', (v) => {
    expect(isDNS1123Label(v)).toEqual([]);
  });
  it.each([
    ['', [LABEL_REGEX]],
    ['A', [LABEL_REGEX]],
    ['a_b', [LABEL_REGEX]],
    ['-a', [LABEL_REGEX]],
    ['a.b', ['must not contain dots']],
    ['a'.repeat(64), ['must be no more than 63 characters']],
  ])('rejects %j', (v, msgs) => {
    expect(isDNS1123Label(v)).toEqual(msgs);
  });
});

describe('isDNS1123Subdomain', () => {
  it.each(['a', 'a.b', 'a-b.c-d', 'example.com', 'a'.repeat(253)])('accepts %j', (v) => {
    expect(isDNS1123Subdomain(v)).toEqual([]);
  });
  it.each([
    ['Web_1', [SUBDOMAIN_REGEX]],
    ['a..b', [SUBDOMAIN_REGEX]],
    ['.a', [SUBDOMAIN_REGEX]],
    ['a'.repeat(254), ['must be no more than 253 characters']],
  ])('rejects %j', (v, msgs) => {
    expect(isDNS1123Subdomain(v)).toEqual(msgs);
  });
});

describe('isDNS1035Label', () => {
  it('rejects a leading digit', () => {
    expect(isDNS1035Label('1abc')).toEqual([
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name', or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    ]);
  });
});

describe('isQualifiedName', () => {
  it.each(['simple', 'now-with-dashes', 'example.com/simple', 'a.b/C_d', 'x'.repeat(63)])(
    'accepts %j',
    (v) => {
      expect(isQualifiedName(v)).toEqual([]);
    },
  );
  it.each([
    ['', ['name part must be non-empty', `name part ${QNAME_REGEX}`]],
    ['/simple', ['prefix part must be non-empty']],
    ['Example.com/simple', [`prefix part ${SUBDOMAIN_REGEX}`]],
    [
      'a/b/c',
      [
        `a qualified name ${QNAME_REGEX} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
      ],
    ],
    ['x'.repeat(64), ['name part must be no more than 63 characters']],
    ['-bad', [`name part ${QNAME_REGEX}`]],
  ])('rejects %j', (v, msgs) => {
    expect(isQualifiedName(v)).toEqual(msgs);
  });
});

describe('isValidLabelValue', () => {
  it.each(['', 'a', 'A_b.c-d', '1'.repeat(63)])('accepts %j', (v) => {
    expect(isValidLabelValue(v)).toEqual([]);
  });
  it('rejects a bad character', () => {
    expect(isValidLabelValue('a b')).toEqual([
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ]);
  });
  it('rejects 64 characters', () => {
    expect(isValidLabelValue('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
  });
});

describe('ports', () => {
  it.each([1, 80, 65535])('port %d is valid', (p) => {
    expect(isValidPortNum(p)).toEqual([]);
  });
  it.each([0, -1, 65536])('port %d is out of range', (p) => {
    expect(isValidPortNum(p)).toEqual(['must be between 1 and 65535, inclusive']);
  });
  it.each([
    ['http', []],
    ['a-b-c', []],
    ['80', ['must contain at least one letter (a-z)']],
    ['Http', ['must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)']],
    ['a--b', ['must not contain consecutive hyphens']],
    ['-ab', ['must not begin or end with a hyphen']],
    ['abcdefghijklmnop', ['must be no more than 15 characters']],
  ])('port name %j', (name, msgs) => {
    expect(isValidPortName(name)).toEqual(msgs);
  });
});

describe('env names and config keys', () => {
  it.each([
    ['MY_VAR', []],
    ['1st', []],
    ['with space', []],
    [
      'a=b',
      [
        "a valid environment variable name must consist only of printable ASCII characters other than '='",
      ],
    ],
    [
      'tab\t',
      [
        "a valid environment variable name must consist only of printable ASCII characters other than '='",
      ],
    ],
  ])('relaxed env name %j', (v, msgs) => {
    expect(isRelaxedEnvVarName(v)).toEqual(msgs);
  });
  it('strict env name rejects a leading digit and `..`', () => {
    expect(isEnvVarName('1a')).toHaveLength(1);
    expect(isEnvVarName('..a')).toEqual(["must not start with '..'"]);
  });
  it.each([
    ['key.name', []],
    ['..', ["must not be '..'"]],
    ['..a', ["must not start with '..'"]],
    [
      'a b',
      [
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name', or 'KEY_NAME', or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
      ],
    ],
  ])('config key %j', (v, msgs) => {
    expect(isConfigMapKey(v)).toEqual(msgs);
  });
});

describe('addresses and percentages', () => {
  it.each([
    ['10.0.0.1', 0],
    ['2001:db8::1', 0],
    ['10.0.0', 1],
    ['nope', 1],
  ])('IP %j has %d errors', (v, n) => {
    expect(isValidIP(v)).toHaveLength(n);
  });
  it.each([
    ['10.0.0.0/8', 0],
    ['2001:db8::/64', 0],
    ['10.0.0.0/33', 1],
    ['10.0.0.0', 1],
  ])('CIDR %j has %d errors', (v, n) => {
    expect(isValidCIDR(v)).toHaveLength(n);
  });
  it.each([
    ['25%', 0],
    ['25', 1],
    ['%', 1],
  ])('percent %j has %d errors', (v, n) => {
    expect(isValidPercent(v)).toHaveLength(n);
  });
});

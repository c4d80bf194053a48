import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../meta.js';
import { discoveryStrategies, endpointSliceStrategy } from './strategies.js';

const slices = discoveryStrategies.EndpointSlice!;

function slice(fields: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'web-abc12', namespace: 'default' },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.1.0.5'], conditions: { ready: true } }],
    ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
    ...fields,
  };
}

const errors = (obj: KubeObject, strategy = slices) =>
  (strategy.validate?.(obj) ?? []).map((e) => [e.field, e.detail]);

describe('EndpointSlice defaulting', () => {
  it('defaults port names and protocols and drops deprecatedTopology', () => {
    const obj = slice({
      ports: [{ port: 80 }],
      endpoints: [{ addresses: ['10.1.0.5'], deprecatedTopology: { a: 'b' } }],
    });
    slices.default?.(obj);
    expect(obj.ports).toEqual([{ name: '', protocol: 'TCP', port: 80 }]);
    expect(obj.endpoints).toEqual([{ addresses: ['10.1.0.5'] }]);
  });
});

describe('EndpointSlice validation', () => {
  it.each<[string, Record<string, unknown>, unknown[][]]>([
    ['a valid slice', {}, []],
    ['a loopback address (kubeproc host mode)', { endpoints: [{ addresses: ['127.0.0.1'] }] }, []],
    ['no addressType', { addressType: '' }, [['addressType', 'Required value']]],
    [
      'an unknown addressType',
      { addressType: 'IP' },
      [['addressType', 'Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"']],
    ],
    [
      'an endpoint without addresses',
      { endpoints: [{ addresses: [] }] },
      [['endpoints[0].addresses', 'Required value: must contain at least 1 address']],
    ],
    [
      'an IPv6 address in an IPv4 slice',
      { endpoints: [{ addresses: ['fd00::1'] }] },
      [['endpoints[0].addresses[0]', 'Invalid value: "fd00::1": must be a valid IPv4 address']],
    ],
    [
      'garbage in an IPv4 slice',
      { endpoints: [{ addresses: ['nope'] }] },
      [
        ['endpoints[0].addresses[0]', 'Invalid value: "nope": must be a valid IPv4 address'],
        ['endpoints[0].addresses[0]', 'Invalid value: "nope": must be a valid IP address'],
      ],
    ],
    [
      'special IPv4 addresses',
      { endpoints: [{ addresses: ['0.0.0.0', '169.254.1.1', '224.0.0.5'] }] },
      [
        ['endpoints[0].addresses[0]', 'Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)'],
        [
          'endpoints[0].addresses[1]',
          'Invalid value: "169.254.1.1": may not be in the link-local range (169.254.0.0/16, fe80::/10)',
        ],
        [
          'endpoints[0].addresses[2]',
          'Invalid value: "224.0.0.5": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)',
        ],
      ],
    ],
    [
      'special IPv6 addresses',
      { addressType: 'IPv6', endpoints: [{ addresses: ['::', 'fe80::1', '10.0.0.1'] }] },
      [
        ['endpoints[0].addresses[0]', 'Invalid value: "::": may not be unspecified (::)'],
        [
          'endpoints[0].addresses[1]',
          'Invalid value: "fe80::1": may not be in the link-local range (169.254.0.0/16, fe80::/10)',
        ],
        ['endpoints[0].addresses[2]', 'Invalid value: "10.0.0.1": must be a valid IPv6 address'],
      ],
    ],
    [
      'a single-label FQDN',
      { addressType: 'FQDN', endpoints: [{ addresses: ['localhost'] }] },
      [
        [
          'endpoints[0].addresses[0]',
          'Invalid value: "localhost": should be a domain with at least two segments separated by dots',
        ],
      ],
    ],
    ['a valid FQDN', { addressType: 'FQDN', endpoints: [{ addresses: ['web.example.com.'] }] }, []],
    [
      'duplicate zone hints',
      {
        endpoints: [
          { addresses: ['10.0.0.1'], hints: { forZones: [{ name: 'a' }, { name: 'a' }] } },
        ],
      },
      [['endpoints[0].hints.forZones[1].name', 'Duplicate value: "a"']],
    ],
    [
      'port problems',
      {
        ports: [
          { name: 'http', protocol: 'TCP' },
          { name: 'http', protocol: 'ICMP' },
          { name: '', appProtocol: 'a/b/c' },
        ],
      },
      [
        ['ports[1].name', 'Duplicate value: "http"'],
        ['ports[1].protocol', 'Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"'],
        ['ports[2].protocol', 'Required value'],
        [
          'ports[2].appProtocol',
          expect.stringMatching(/^Invalid value: "a\/b\/c": a qualified name must consist of/),
        ],
      ],
    ],
  ])('%s', (_name, fields, expected) => {
    expect(errors(slice(fields))).toEqual(expected);
  });

  it('rejects loopback addresses when configured like upstream', () => {
    const strict = endpointSliceStrategy({ allowLoopback: false });
    expect(errors(slice({ endpoints: [{ addresses: ['127.0.0.1'] }] }), strict)).toEqual([
      [
        'endpoints[0].addresses[0]',
        'Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      ],
    ]);
  });

  it('keeps addressType immutable', () => {
    expect(slices.validateUpdate?.(slice({ addressType: 'IPv6' }), slice({}))).toEqual([
      {
        type: 'FieldValueInvalid',
        field: 'addressType',
        detail: 'Invalid value: "IPv6": field is immutable',
      },
    ]);
  });
});

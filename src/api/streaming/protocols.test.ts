import { describe, expect, it } from 'vitest';
import {
  headerList,
  negotiateSpdy,
  negotiateWebSocketExec,
  spdyJsonStatus,
  spdyResize,
  tunneledSpdyProtocols,
} from './protocols.js';

describe('headerList', () => {
  it.each([
    [undefined, []],
    ['', []],
    ['v5.channel.k8s.io', ['v5.channel.k8s.io']],
    ['v5.channel.k8s.io, v4.channel.k8s.io', ['v5.channel.k8s.io', 'v4.channel.k8s.io']],
    [
      ['a', 'b,c'],
      ['a', 'b', 'c'],
    ],
  ])('%j -> %j', (value, list) => {
    expect(headerList(value)).toEqual(list);
  });
});

describe('negotiateWebSocketExec', () => {
  it.each([
    [['v5.channel.k8s.io'], 'v5.channel.k8s.io', [false, true, true]],
    [['v4.channel.k8s.io', 'v5.channel.k8s.io'], 'v4.channel.k8s.io', [false, true, false]],
    [['v4.base64.channel.k8s.io'], 'v4.base64.channel.k8s.io', [true, true, false]],
    [['channel.k8s.io'], 'channel.k8s.io', [false, false, false]],
    [['nope', 'base64.channel.k8s.io'], 'base64.channel.k8s.io', [true, false, false]],
    [[], '', [false, false, false]],
  ])('%j picks %s (base64, json status, close signal: %j)', (offered, name, features) => {
    const [base64, jsonStatus, closeSignal] = features;
    expect(negotiateWebSocketExec(offered)).toEqual({ name, base64, jsonStatus, closeSignal });
  });

  it('refuses when nothing offered is spoken', () => {
    expect(negotiateWebSocketExec(['SPDY/3.1+portforward.k8s.io'])).toBeUndefined();
  });
});

describe('negotiateSpdy', () => {
  const server = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'channel.k8s.io'];
  it.each([
    [['v5.channel.k8s.io', 'v4.channel.k8s.io'], 'v5.channel.k8s.io'],
    [['v4.channel.k8s.io', 'v5.channel.k8s.io'], 'v4.channel.k8s.io'],
    [['v9.channel.k8s.io', 'channel.k8s.io'], 'channel.k8s.io'],
    [[], 'channel.k8s.io'],
  ])('client order wins: %j -> %s', (offered, protocol) => {
    expect(negotiateSpdy(offered, server)).toEqual({ protocol });
  });

  it('explains a failure as httpstream.Handshake does', () => {
    expect(negotiateSpdy(['x', 'y'], ['portforward.k8s.io'])).toEqual({
      error:
        'unable to upgrade: unable to negotiate protocol: client supports [x y], server accepts [portforward.k8s.io]',
    });
  });
});

describe('SPDY protocol features', () => {
  it.each([
    ['v5.channel.k8s.io', true, true],
    ['v4.channel.k8s.io', true, true],
    ['v3.channel.k8s.io', false, true],
    ['v2.channel.k8s.io', false, false],
    ['channel.k8s.io', false, false],
  ])('%s: json status %s, resize %s', (protocol, json, resize) => {
    expect([spdyJsonStatus(protocol), spdyResize(protocol)]).toEqual([json, resize]);
  });

  it('extracts tunnelled SPDY protocols from WebSocket subprotocols', () => {
    expect(
      tunneledSpdyProtocols(['v5.channel.k8s.io', 'SPDY/3.1+portforward.k8s.io', 'SPDY/3.1+x']),
    ).toEqual(['portforward.k8s.io']);
  });
});

// grpc probes against a grpc.health.v1 server written with node:http2 in the test: serving
// states, unknown services, servers without the health service, timeouts and refused ports.
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Probe } from '../../apis/core/v1/types.js';
import { decodeHealthCheckResponse, encodeHealthCheckRequest } from './grpc-health.js';
import { runProbe } from './prober.js';

// Per service: a ServingStatus number, or how to misbehave.
const SERVICES: Record<string, number | 'hang' | 'http404' | 'unimplemented' | 'reset'> = {
  '': 1,
  api: 1,
  down: 2,
  unknown: 0,
  odd: 7,
  slow: 'hang',
  web: 'http404',
  bare: 'unimplemented',
  rst: 'reset',
};

let server: http2.Http2Server;
let port = 0;
let lastHeaders: http2.IncomingHttpHeaders = {};

/** HealthCheckRequest.service, read by hand as the server side of the test. */
function serviceOf(body: Buffer): string {
  const message = body.subarray(5, 5 + body.readUInt32BE(1));
  return message.length === 0 ? '' : message.subarray(2, 2 + (message[1] ?? 0)).toString();
}

function respond(stream: http2.ServerHttp2Stream, service: string): void {
  const how = SERVICES[service];
  if (how === 'hang') {
    return;
  }
  if (how === 'reset') {
    stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
    return;
  }
  if (how === 'http404') {
    stream.respond({ ':status': 404, 'content-type': 'text/plain' });
    stream.end('not found');
    return;
  }
  if (how === 'unimplemented' || how === undefined) {
    const message = how === undefined ? 'unknown service' : 'unknown service grpc.health.v1.Health';
    const code = how === undefined ? '5' : '12';
    stream.respond(
      {
        ':status': 200,
        'content-type': 'application/grpc',
        'grpc-status': code,
        'grpc-message': encodeURIComponent(message),
      },
      { endStream: true },
    );
    return;
  }
  stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
  stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
  stream.end(Buffer.from([0, 0, 0, 0, 2, 0x08, how]));
}

beforeAll(async () => {
  server = http2.createServer();
  server.on('stream', (stream, headers) => {
    lastHeaders = headers;
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => respond(stream, serviceOf(Buffer.concat(chunks))));
    stream.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const grpcProbe = (service: string, p = port): Probe => ({
  grpc: { port: p, service },
  timeoutSeconds: 1,
});
const target = { ip: '127.0.0.1' };

describe('grpc probe', () => {
  it.each([
    ['', 'success', 'service healthy'],
    ['api', 'success', 'service healthy'],
    ['down', 'failure', 'service unhealthy (responded with "NOT_SERVING")'],
    ['unknown', 'failure', 'service unhealthy (responded with "UNKNOWN")'],
    ['odd', 'failure', 'service unhealthy (responded with "7")'],
    [
      'missing',
      'failure',
      'error: health rpc probe failed: rpc error: code = NotFound desc = unknown service',
    ],
    [
      'bare',
      'failure',
      'error: this server does not implement the grpc health protocol (grpc.health.v1.Health): unknown service grpc.health.v1.Health',
    ],
    [
      'web',
      'failure',
      'error: this server does not implement the grpc health protocol (grpc.health.v1.Health): unexpected HTTP status code received from server: 404 (Not Found); transport: received unexpected content-type "text/plain"',
    ],
    [
      'rst',
      'failure',
      'error: health rpc probe failed: rpc error: code = Unavailable desc = stream terminated by RST_STREAM with error code: REFUSED_STREAM',
    ],
  ])('service %j gives %s', async (service, result, message) => {
    expect(await runProbe(grpcProbe(service), target)).toEqual({ result, message });
  });

  it('sends a gRPC request as grpc-go would', async () => {
    await runProbe(grpcProbe('api'), target);
    expect(lastHeaders).toMatchObject({
      ':method': 'POST',
      ':path': '/grpc.health.v1.Health/Check',
      'content-type': 'application/grpc',
      te: 'trailers',
      'user-agent': 'kube-probe/1.32',
    });
  });

  it('times out an RPC that gets no answer', async () => {
    const out = await runProbe(grpcProbe('slow'), target);
    expect(out).toEqual({
      result: 'failure',
      message: 'timeout: health rpc did not complete within 1s',
    });
  });

  it.each([
    [
      'a closed port',
      async () => {
        const s = http.createServer();
        await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
        const p = (s.address() as AddressInfo).port;
        await new Promise((resolve) => s.close(resolve));
        return { port: p, close: () => Promise.resolve() };
      },
    ],
    [
      'an HTTP/1 server',
      async () => {
        const s = http.createServer((_req, res) => res.end('hi'));
        await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
        const close = async (): Promise<void> => {
          s.closeAllConnections();
          await new Promise((resolve) => s.close(resolve));
        };
        return { port: (s.address() as AddressInfo).port, close };
      },
    ],
  ])('keeps dialing %s until the deadline', async (_name, make) => {
    const peer = await make();
    try {
      const out = await runProbe(grpcProbe('', peer.port), target);
      expect(out).toEqual({
        result: 'failure',
        message: `timeout: failed to connect service "127.0.0.1:${peer.port}" within 1s: context deadline exceeded`,
      });
    } finally {
      await peer.close();
    }
  });
});

describe('grpc.health.v1 codec', () => {
  it.each([
    ['', '0000000000'],
    ['api', '00000000050a03617069'],
  ])('encodes HealthCheckRequest{service: %j}', (service, hex) => {
    expect(encodeHealthCheckRequest(service).toString('hex')).toBe(hex);
  });

  it.each([
    ['', 0],
    ['0801', 1],
    ['0802', 2],
    ['120378797a0803', 3], // an unknown length-delimited field first
    ['08ffffffffffffffffff01', -1], // a negative enum, ten bytes on the wire
  ])('decodes HealthCheckResponse %s', (hex, status) => {
    expect(decodeHealthCheckResponse(Buffer.from(hex, 'hex'))).toBe(status);
  });

  it('rejects a truncated message', () => {
    expect(() => decodeHealthCheckResponse(Buffer.from('08', 'hex'))).toThrow('unexpected EOF');
  });
});

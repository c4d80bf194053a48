import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ApiError, notFound } from '../../lib/errors.js';
import {
  encodeChannelStatus,
  exitStatus,
  rejectUpgrade,
  rejectUpgradeText,
  startFailureStatus,
} from './status.js';

describe('error channel statuses (byte-for-byte what the kubelet marshals)', () => {
  it.each([
    [{ exitCode: 0 }, 'exec', '{"metadata":{},"status":"Success"}'],
    [
      { exitCode: 3 },
      'exec',
      '{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: exit status 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}',
    ],
    [{ exitCode: 3 }, 'attach', '{"metadata":{},"status":"Success"}'],
    [
      { error: 'signal: killed' },
      'exec',
      '{"metadata":{},"status":"Failure","message":"Internal error occurred: error executing command in container: signal: killed","reason":"InternalError","details":{"causes":[{"message":"error executing command in container: signal: killed"}]},"code":500}',
    ],
    [
      { error: 'gone' },
      'attach',
      '{"metadata":{},"status":"Failure","message":"Internal error occurred: error attaching to container: gone","reason":"InternalError","details":{"causes":[{"message":"error attaching to container: gone"}]},"code":500}',
    ],
  ] as const)('%j (%s)', (exit, verb, json) => {
    expect(encodeChannelStatus(exitStatus(exit, verb), true)?.toString()).toBe(json);
  });

  it('passes an ApiError from starting the session through, and wraps anything else', () => {
    const err = notFound({ group: '', resource: 'pods' }, 'p');
    expect(startFailureStatus(err, 'exec')).toEqual({
      metadata: {},
      status: 'Failure',
      message: 'pods "p" not found',
      reason: 'NotFound',
      details: { name: 'p', group: '', kind: 'pods' },
      code: 404,
    });
    expect(startFailureStatus(new Error('no such file'), 'exec').message).toBe(
      'Internal error occurred: error executing command in container: no such file',
    );
  });

  it('pre-v4 protocols carry only a failure message, and nothing on success', () => {
    expect(encodeChannelStatus(exitStatus({ exitCode: 0 }, 'exec'), false)).toBeUndefined();
    expect(encodeChannelStatus(exitStatus({ exitCode: 2 }, 'exec'), false)?.toString()).toBe(
      'command terminated with non-zero exit code: exit status 2',
    );
  });
});

function capture(): { socket: Writable; text: () => string } {
  let text = '';
  const socket = new Writable({
    write(chunk: Buffer, _e, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return { socket, text: () => text };
}

describe('answers that refuse an upgrade', () => {
  it('writes a Status response and ends the socket', () => {
    const { socket, text } = capture();
    rejectUpgrade(socket as never, new ApiError(400, 'BadRequest', 'bad'));
    const [head, body] = text().split('\r\n\r\n');
    expect(head?.split('\r\n')).toEqual([
      'HTTP/1.1 400 Bad Request',
      'Content-Type: application/json',
      'Cache-Control: no-cache, private',
      `Content-Length: ${body?.length}`,
      'Connection: close',
    ]);
    expect(JSON.parse(body ?? '')).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'bad',
      reason: 'BadRequest',
      code: 400,
    });
    expect(socket.writableEnded).toBe(true);
  });

  it('writes plain text with repeated headers', () => {
    const { socket, text } = capture();
    rejectUpgradeText(socket as never, 403, 'no', { 'X-A': ['1', '2'] });
    expect(text()).toContain('HTTP/1.1 403 Forbidden\r\n');
    expect(text()).toContain('X-A: 1\r\nX-A: 2\r\n');
    expect(text().endsWith('\r\n\r\nno\n')).toBe(true);
  });
});

// exec/attach over a WebSocket channel protocol (v5/v4/channel.k8s.io, binary or base64): each
// message starts with its channel (0 stdin, 1 stdout, 2 stderr, 3 error, 4 resize; 255 close).
import { PassThrough, Writable } from 'node:stream';
import { WebSocket } from 'ws';
import type { RawData } from 'ws';
import { runExecSession } from './exec-session.js';
import type { ExecTransport, RunOptions } from './exec-session.js';
import type { WebSocketChannelProtocol } from './protocols.js';
import { encodeChannelStatus } from './status.js';
import type { ExecRequest } from './types.js';

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const RESIZE = 4;
const CLOSE = 255;
/** WebSocket close code 1000: client-go reads it as a clean end of every channel. */
const NORMAL_CLOSURE = 1000;

/** Serves one exec/attach session on an accepted WebSocket. */
export function serveWebSocketExec(
  ws: WebSocket,
  protocol: WebSocketChannelProtocol,
  request: ExecRequest,
  opts: RunOptions,
): Promise<void> {
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  const stdin = request.stdin ? new PassThrough() : undefined;
  // Upstream always opens the resize channel for reading, tty or not.
  const resize = new PassThrough();
  ws.on('error', (err) => opts.log.debug({ err }, 'exec websocket'));
  ws.on('message', (data: RawData) => demux(toBuffer(data), protocol, { stdin, resize }));
  ws.once('close', () => {
    stdin?.end();
    resize.end();
  });
  const transport: ExecTransport = {
    stdin,
    resize,
    stdout: request.stdout ? channelWriter(ws, STDOUT, protocol) : undefined,
    stderr: request.stderr ? channelWriter(ws, STDERR, protocol) : undefined,
    writeStatus: (status) => {
      const bytes = encodeChannelStatus(status, protocol.jsonStatus);
      return bytes ? send(ws, ERROR, bytes, protocol) : Promise.resolve();
    },
    finish: () => ws.close(NORMAL_CLOSURE),
    closed,
  };
  // As upstream: an empty message on the lowest writable channel says the session is set up.
  const first = request.stdout ? STDOUT : request.stderr ? STDERR : ERROR;
  void send(ws, first, Buffer.alloc(0), protocol);
  return runExecSession(transport, request, opts);
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) {
    return data;
  }
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

interface Inputs {
  stdin: PassThrough | undefined;
  resize: PassThrough;
}

/** Routes one client message to its channel; frames for channels we do not read are dropped. */
export function demux(frame: Buffer, protocol: WebSocketChannelProtocol, inputs: Inputs): void {
  if (frame.length === 0) {
    return;
  }
  if (protocol.closeSignal && frame[0] === CLOSE) {
    // v5: [255, channel] half-closes that channel.
    const input = frame.length === 2 ? inputFor(frame[1], inputs) : undefined;
    if (input && !input.writableEnded) {
      input.end();
    }
    return;
  }
  const input = inputFor(protocol.base64 ? (frame[0] ?? 0) - 0x30 : frame[0], inputs);
  if (input && !input.writableEnded) {
    const body = frame.subarray(1);
    input.write(protocol.base64 ? Buffer.from(body.toString('latin1'), 'base64') : body);
  }
}

function inputFor(channel: number | undefined, inputs: Inputs): PassThrough | undefined {
  return channel === STDIN ? inputs.stdin : channel === RESIZE ? inputs.resize : undefined;
}

function channelWriter(
  ws: WebSocket,
  channel: number,
  protocol: WebSocketChannelProtocol,
): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback): void {
      void send(ws, channel, chunk, protocol).then(() => callback());
    },
  });
}

/** Sends one frame; resolves when it is written out (or dropped: the client is gone). */
function send(
  ws: WebSocket,
  channel: number,
  data: Buffer,
  protocol: WebSocketChannelProtocol,
): Promise<void> {
  return new Promise((resolve) => {
    if (ws.readyState !== WebSocket.OPEN) {
      resolve();
      return;
    }
    const frame = protocol.base64
      ? String.fromCharCode(0x30 + channel) + data.toString('base64')
      : Buffer.concat([Buffer.of(channel), data]);
    ws.send(frame, { binary: !protocol.base64 }, () => resolve());
  });
}

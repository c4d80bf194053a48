// A WebSocket seen as a byte stream, for SPDY tunnelled in WebSocket (`SPDY/3.1+portforward.k8s.io`):
// every binary message carries raw SPDY bytes, chunked arbitrarily, with no channel byte.
import { Duplex } from 'node:stream';
import { WebSocket } from 'ws';
import type { RawData } from 'ws';

const NORMAL_CLOSURE = 1000;

/** The bytes of a WebSocket connection as a Duplex; it closes when the WebSocket does. */
export class WebSocketTunnel extends Duplex {
  constructor(private readonly ws: WebSocket) {
    super({ allowHalfOpen: false });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) {
        return;
      }
      const chunk = Buffer.isBuffer(data)
        ? data
        : Array.isArray(data)
          ? Buffer.concat(data)
          : Buffer.from(data);
      if (!this.push(chunk)) {
        ws.pause();
      }
    });
    ws.once('close', () => {
      this.push(null);
      this.destroy();
    });
    ws.on('error', (err) => this.destroy(err));
  }

  override _read(): void {
    this.ws.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (e?: Error) => void): void {
    if (this.ws.readyState !== WebSocket.OPEN) {
      callback();
      return;
    }
    this.ws.send(chunk, { binary: true }, () => callback());
  }

  override _final(callback: (e?: Error) => void): void {
    this.ws.close(NORMAL_CLOSURE);
    callback();
  }

  override _destroy(err: Error | null, callback: (e: Error | null) => void): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.close(NORMAL_CLOSURE);
    }
    callback(err);
  }
}

// A stand-in for a Prometheus server at the network boundary, for unit tests: a real HTTP server
// on loopback answering /api/v1/* with whatever the test sets. Integration tests use the real one.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeAnswer {
  code?: number;
  /** A JSON body (stringified), or undefined to never answer. */
  body?: unknown;
  raw?: string;
}

/** Records requests (path and form) and answers them with `answer`. */
export class FakePrometheus {
  readonly requests: { path: string; form: URLSearchParams }[] = [];
  answer: (path: string, form: URLSearchParams) => FakeAnswer = () => ({ body: {} });
  private readonly server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      const path = req.url ?? '';
      this.requests.push({ path, form });
      const a = this.answer(path, form);
      if (a.body === undefined && a.raw === undefined) {
        return;
      }
      res.writeHead(a.code ?? 200, { 'Content-Type': 'application/json' });
      res.end(a.raw ?? JSON.stringify(a.body));
    });
  });

  /** Listens on a free loopback port; resolves with the base URL. */
  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return this.url;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

/** Prometheus' success envelope for an instant vector. */
export function vectorAnswer(samples: { metric: Record<string, string>; value: number }[]) {
  return {
    body: {
      status: 'success',
      data: {
        resultType: 'vector',
        result: samples.map((s) => ({ metric: s.metric, value: [1_700_000_000, String(s.value)] })),
      },
    },
  };
}

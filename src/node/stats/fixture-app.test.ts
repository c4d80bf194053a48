// The test app (test/fixtures/app/app.mjs) that node-agent integration tests and benchmarks run
// as a container: its endpoints, exit codes and SIGTERM handling, against the real process.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const FIXTURE_APP = fileURLToPath(new URL('../../../test/fixtures/app/app.mjs', import.meta.url));

interface App {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

const running: App[] = [];

function startApp(args: string[], env: Record<string, string> = {}): App {
  const child = spawn(process.execPath, [FIXTURE_APP, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const app = { child, output: () => out, exited };
  running.push(app);
  return app;
}

async function listening(app: App): Promise<string> {
  await expect
    .poll(() => /listening on (\d+)/.exec(app.output())?.[1], {
      timeout: 10_000,
      message: 'the app to print its port',
    })
    .toBeDefined();
  return `http://127.0.0.1:${/listening on (\d+)/.exec(app.output())?.[1]}`;
}

async function get(url: string, method = 'GET'): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { method, signal: AbortSignal.timeout(5000) });
  return { status: res.status, body: await res.text() };
}

afterEach(async () => {
  for (const app of running.splice(0)) {
    if (app.child.exitCode === null && app.child.signalCode === null) {
      app.child.kill('SIGKILL');
      await app.exited;
    }
  }
});

describe('fixture app', () => {
  it('serves hello, probes and toggles', async () => {
    const app = startApp(['--port', '0', '--host', '127.0.0.1'], { POD_NAME: 'web-0' });
    const base = await listening(app);
    expect(await get(`${base}/`)).toEqual({ status: 200, body: 'Hello from web-0\n' });
    expect((await get(`${base}/healthz`)).status).toBe(200);
    await get(`${base}/fail`, 'POST');
    expect((await get(`${base}/healthz`)).status).toBe(500);
    await get(`${base}/unready`);
    expect((await get(`${base}/ready`)).status).toBe(503);
    await get(`${base}/recover`);
    expect((await get(`${base}/healthz`)).status).toBe(200);
    expect((await get(`${base}/ready`)).status).toBe(200);
    expect(JSON.parse((await get(`${base}/env`)).body)).toMatchObject({ POD_NAME: 'web-0' });
    expect((await get(`${base}/nope`)).status).toBe(404);
    expect(app.output()).toContain('GET /healthz HTTP/1.1');
  });

  it('holds /healthz open after /hang until /recover', async () => {
    const app = startApp(['--port', '0', '--host', '127.0.0.1']);
    const base = await listening(app);
    await get(`${base}/hang`);
    const held = get(`${base}/healthz`);
    const first = await Promise.race([held, new Promise((r) => setTimeout(() => r('held'), 300))]);
    expect(first).toBe('held');
    await get(`${base}/recover`);
    expect(await held).toEqual({ status: 200, body: 'ok' });
  });

  it('fails readiness until --ready-after has passed', async () => {
    const app = startApp(['--port', '0', '--host', '127.0.0.1', '--ready-after', '2000']);
    const base = await listening(app);
    expect((await get(`${base}/ready`)).status).toBe(503);
    await expect.poll(async () => (await get(`${base}/ready`)).status, { timeout: 5000 }).toBe(200);
  });

  it('exits with the code /crash asks for', async () => {
    const app = startApp(['--port', '0', '--host', '127.0.0.1']);
    const base = await listening(app);
    expect((await get(`${base}/crash?code=7`)).status).toBe(200);
    expect(await app.exited).toBe(7);
  });

  it('exits 0 on SIGTERM, or ignores it with --ignore-sigterm', async () => {
    const plain = startApp(['--port', '0', '--host', '127.0.0.1']);
    const stubborn = startApp(['--port', '0', '--host', '127.0.0.1', '--ignore-sigterm']);
    const stubbornBase = await listening(stubborn);
    await listening(plain);
    plain.child.kill('SIGTERM');
    stubborn.child.kill('SIGTERM');
    expect(await plain.exited).toBe(0);
    expect(plain.output()).toContain('received SIGTERM\n');
    await expect.poll(() => stubborn.output(), { timeout: 5000 }).toContain('(ignored)');
    expect((await get(`${stubbornBase}/`)).status).toBe(200);
  });

  it.each([
    { name: 'a plain process', args: ['--no-listen'], code: 0 },
    {
      name: '--exit-code',
      args: ['--no-listen', '--exit-after', '50', '--exit-code', '3'],
      code: 3,
    },
    { name: '--crash-after', args: ['--port', '0', '--crash-after', '50'], code: 1 },
    { name: 'an unknown flag', args: ['--bogus'], code: 2 },
  ])('exits $code for $name', async ({ args, code }) => {
    const app = startApp(args);
    expect(await app.exited).toBe(code);
  });
});

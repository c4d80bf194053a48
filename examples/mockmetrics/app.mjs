// mockmetrics, the seeds' custom-metrics demo app, in plain Node.js (no dependencies): /metrics
// exposes the gauge total_hit_count, which /scale/up makes rise, /scale/down makes fall (to 0)
// and /scale/stop holds. /scale/ answers the current direction.
import { createServer } from 'node:http';
import { hostname } from 'node:os';

const port = Number(process.env.PORT ?? 8080);
// How much total_hit_count changes per second while going up or down.
const step = Number(process.env.HIT_STEP ?? 10);
const pod = process.env.POD_NAME ?? process.env.HOSTNAME ?? hostname();

let direction = 'stop';
let hits = 0;
let last = Date.now();

/** Moves the count along for the time since the last look, so scrapes see a steady slope. */
function advance() {
  const now = Date.now();
  const delta = (step * (now - last)) / 1000;
  last = now;
  if (direction === 'up') {
    hits += delta;
  } else if (direction === 'down') {
    hits = Math.max(0, hits - delta);
  }
  return Math.round(hits);
}

const answers = {
  '/scale/up': () => ((direction = 'up'), 'Going up!\n'),
  '/scale/down': () => ((direction = 'down'), 'Going down :P\n'),
  '/scale/stop': () => ((direction = 'stop'), 'Stopped.\n'),
  '/scale/': () => `${direction}\n`,
  '/scale': () => `${direction}\n`,
  '/ready': () => 'ok\n',
  '/': () => `Hello from mockmetrics on ${pod}\n`,
};

createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const count = advance();
  if (path === '/metrics') {
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
    res.end(
      '# HELP total_hit_count Hits counted so far (moved by /scale/up and /scale/down).\n' +
        '# TYPE total_hit_count gauge\n' +
        `total_hit_count ${count}\n`,
    );
    return;
  }
  const answer = answers[path];
  res.writeHead(answer ? 200 : 404, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(answer ? answer() : 'not found\n');
}).listen(port, () => {
  console.log(`mockmetrics listening on ${port}`);
});

process.on('SIGTERM', () => process.exit(0));

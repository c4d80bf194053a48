// Worker thread holding N streaming watch connections (kubeproc watch or etcd's /v3/watch
// gateway), recording when each event's revision arrives. Kept off the writer's thread so
// parsing 100 streams does not delay the writes being timed.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { nowMs } from './stats.js';

const { url, path, method, body, watchers, expected, mode } = workerData;
const REVISION_FIELD = mode === 'etcd' ? '"mod_revision":"' : '"resourceVersion":"';
const agent = new http.Agent({ keepAlive: true, maxSockets: watchers + 1 });
const states = [];
let readyCount = 0;
let doneCount = 0;
let finished = false;

function extractRevisions(line, into) {
  let at = line.indexOf(REVISION_FIELD);
  while (at >= 0) {
    const start = at + REVISION_FIELD.length;
    into.push(Number(line.slice(start, line.indexOf('"', start))));
    // A kubeproc event carries one object; an etcd message may batch many events.
    at = mode === 'etcd' ? line.indexOf(REVISION_FIELD, start) : -1;
  }
}

/** False for lines that carry no data events (etcd's "created" reply, kubeproc ERROR events). */
function isEventLine(state, line) {
  if (mode === 'etcd') {
    if (!state.ready && line.includes('"created":true')) {
      markReady(state);
      return false;
    }
    return true;
  }
  if (line.startsWith('{"type":"ADDED"') || line.startsWith('{"type":"MODIFIED"')) {
    return true;
  }
  state.other.push(line.slice(0, 200));
  return false;
}

function onLine(state, line) {
  const t = nowMs();
  if (!isEventLine(state, line)) {
    return;
  }
  const revs = [];
  extractRevisions(line, revs);
  for (const rev of revs.slice(0, expected - state.count)) {
    state.revisions[state.count] = rev;
    state.times[state.count] = t;
    state.count++;
  }
  if (state.count >= expected && !state.done) {
    state.done = true;
    doneCount++;
    if (doneCount === watchers) {
      finish();
    }
  }
}

function markReady(state) {
  state.ready = true;
  readyCount++;
  if (readyCount === watchers) {
    parentPort.postMessage({ type: 'ready' });
  }
}

function open(state) {
  const req = http.request(
    new URL(path, url),
    { method, agent, headers: { Accept: 'application/json', 'Content-Type': 'application/json' } },
    (res) => {
      if (res.statusCode !== 200) {
        state.other.push(`HTTP ${res.statusCode}`);
      }
      if (mode !== 'etcd') {
        markReady(state);
      }
      res.setEncoding('utf8');
      let buffered = '';
      res.on('data', (chunk) => {
        buffered += chunk;
        let nl = buffered.indexOf('\n');
        while (nl >= 0) {
          onLine(state, buffered.slice(0, nl));
          buffered = buffered.slice(nl + 1);
          nl = buffered.indexOf('\n');
        }
      });
      res.on('error', (e) => state.other.push(String(e)));
    },
  );
  req.on('error', (e) => state.other.push(String(e)));
  state.req = req;
  req.end(body);
}

function finish() {
  if (finished) {
    return;
  }
  finished = true;
  const results = states.map((s) => ({
    count: s.count,
    revisions: s.revisions.subarray(0, s.count),
    times: s.times.subarray(0, s.count),
    other: s.other.slice(0, 5),
  }));
  for (const s of states) {
    s.req.destroy();
  }
  agent.destroy();
  parentPort.postMessage({ type: 'done', results });
}

parentPort.on('message', (msg) => {
  if (msg === 'finish') {
    finish();
  }
});

for (let i = 0; i < watchers; i++) {
  const state = {
    ready: false,
    done: false,
    count: 0,
    revisions: new Float64Array(expected),
    times: new Float64Array(expected),
    other: [],
  };
  states.push(state);
  open(state);
}

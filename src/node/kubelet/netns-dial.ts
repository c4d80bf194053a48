// port-forward's dial into a pod's own network namespace, as the kubelet's runtime does it: a
// connection to localhost:PORT *inside* the pod, so servers bound only to the pod's loopback are
// reachable too. Node cannot enter a namespace itself, so a small relay process runs under
// `nsenter --net` and carries the bytes over its stdin/stdout.
import { spawn } from 'node:child_process';
import { Duplex } from 'node:stream';

// The relay: connect, say "ok" (or the error) on stderr, then copy both ways with half-closes.
const RELAY = [
  "import { connect } from 'node:net';",
  "const s = connect(Number(process.argv[1]), '127.0.0.1');",
  "s.once('connect', () => { process.stderr.write('ok\\n'); process.stdin.pipe(s); s.pipe(process.stdout); });",
  "s.once('error', (e) => { process.stderr.write(e.message + '\\n'); process.exit(1); });",
].join('\n');

/** Connects to 127.0.0.1:port in the network namespace bound at netnsFile. */
export function dialInNetns(nsenter: string, netnsFile: string, port: number): Promise<Duplex> {
  const child = spawn(
    nsenter,
    [
      `--net=${netnsFile}`,
      '--',
      process.execPath,
      '--input-type=module',
      '-e',
      RELAY,
      String(port),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let said = '';
    const onData = (chunk: Buffer): void => {
      said += chunk.toString();
      const nl = said.indexOf('\n');
      if (nl < 0) {
        return;
      }
      child.stderr.off('data', onData);
      const line = said.slice(0, nl);
      if (line === 'ok') {
        resolve(relayStream(child.stdin, child.stdout, () => child.kill('SIGKILL')));
      } else {
        reject(new Error(line));
      }
    };
    child.stderr.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!said.includes('\n')) {
        reject(new Error(said.trim() || `relay exited with ${code}`));
      }
    });
  });
}

function relayStream(
  input: NodeJS.WritableStream,
  output: NodeJS.ReadableStream,
  kill: () => void,
): Duplex {
  const stream = Duplex.from({ writable: input, readable: output });
  stream.once('close', kill);
  return stream;
}

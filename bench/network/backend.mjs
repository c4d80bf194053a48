// The network benchmark's backend: answers every request with 200 `ok`, keeping connections
// open. It binds all addresses: the pod IP in isolated mode, $PORT (the host port) in host mode.
import http from 'node:http';

const port = Number(process.env.PORT ?? process.argv[2] ?? 8080);
const BODY = Buffer.from('ok');
const HEADERS = { 'Content-Type': 'text/plain', 'Content-Length': BODY.length };

const server = http.createServer((req, res) => {
  req.resume();
  res.writeHead(200, HEADERS);
  res.end(BODY);
});
server.keepAliveTimeout = 75_000;
server.listen(port, '0.0.0.0');
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
}

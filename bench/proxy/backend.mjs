// The benchmark's backend: the smallest useful HTTP server. It answers every request with 200
// `ok` on $PORT (kubeproc gives each pod its own host port), keeping connections open.
import http from 'node:http';

const port = Number(process.env.PORT ?? process.argv[2] ?? 8080);
const BODY = Buffer.from('ok');
const HEADERS = { 'Content-Type': 'text/plain', 'Content-Length': BODY.length };

const server = http.createServer((req, res) => {
  req.resume();
  res.writeHead(200, HEADERS);
  res.end(BODY);
});
// Longer than the proxies' idle timeouts for upstream connections (nginx 60 s), so the backend
// never closes a pooled connection a proxy is about to reuse between rounds.
server.keepAliveTimeout = 75_000;
server.headersTimeout = 80_000;
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening on ${server.address().port}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
}

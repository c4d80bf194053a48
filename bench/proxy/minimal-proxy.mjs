// A reference: the smallest reasonable reverse proxy in Node (round robin, one keep-alive agent per
// backend, headers passed as they came, streaming with pipe). It shows what Node's own HTTP stack
// costs, so kubeproc's ingress can be read as "Node's floor + kubeproc's own work".
// Usage: node minimal-proxy.mjs <port> <host:port>...; prints "listening on <port>".
import http from 'node:http';

const [port, ...endpoints] = process.argv.slice(2);
const backends = endpoints.map((ep) => {
  const [host, p] = ep.split(':');
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, scheduling: 'lifo' });
  return { host, port: Number(p), agent };
});
let next = 0;

const server = http.createServer((req, res) => {
  const b = backends[next++ % backends.length];
  const headers = { ...req.headers };
  delete headers.connection;
  const up = http.request(
    { host: b.host, port: b.port, method: req.method, path: req.url, headers, agent: b.agent },
    (upRes) => {
      const out = { ...upRes.headers };
      delete out.connection;
      delete out['keep-alive'];
      res.writeHead(upRes.statusCode ?? 502, out);
      upRes.pipe(res);
    },
  );
  up.on('error', () => {
    if (!res.headersSent) {
      res.writeHead(502).end();
    } else {
      res.destroy();
    }
  });
  req.pipe(up);
});
server.keepAliveTimeout = 75_000;
server.listen(Number(port), '127.0.0.1', () => {
  process.stdout.write(`listening on ${server.address().port}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
}

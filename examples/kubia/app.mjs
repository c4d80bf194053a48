// The kubia app of "Kubernetes in Action" for kubeproc: answers "You've hit <pod name>" on
// $PORT (8080 by default) and spends a little CPU per request, so load drives the HPA.
import { createServer } from 'node:http';
import { hostname } from 'node:os';

// kubeproc sets HOSTNAME to the pod's name, as a container runtime does; os.hostname() would be
// this machine's name, since pods run as processes here.
const name = process.env.HOSTNAME || hostname();
const cpuMicrosPerRequest = Number(process.env.CPU_MS_PER_REQUEST || 20) * 1000;

function burn(micros) {
  const start = process.cpuUsage();
  for (;;) {
    const used = process.cpuUsage(start);
    if (used.user + used.system >= micros) {
      return;
    }
  }
}

console.log('Kubia server starting...');
const server = createServer((request, response) => {
  console.log(`Received request from ${request.socket.remoteAddress}`);
  burn(cpuMicrosPerRequest);
  response.writeHead(200);
  response.end(`You've hit ${name}\n`);
});
server.listen(Number(process.env.PORT || 8080));

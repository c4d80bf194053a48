# The seeds' Flask hello-world for kubeproc: answers with the pod's name, /healthz for the
# liveness probe, and spends a little CPU per request so load can drive the HPA.
import os
import socket
import time

from flask import Flask, request

app = Flask(__name__)

# The Downward API's POD_NAME if the manifest sets it, else HOSTNAME (the pod name, as a
# container runtime sets it).
POD_NAME = os.getenv("POD_NAME") or os.getenv("HOSTNAME") or socket.gethostname()
# CPU seconds each request to / spends, so `ab` (or `kubeproc demo`) load shows in `kubectl top`.
CPU_PER_REQUEST = float(os.getenv("CPU_MS_PER_REQUEST", "20")) / 1000


def burn(seconds):
    # Thread CPU time, not wall time: a request waiting for the CPU does not count.
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


@app.route("/")
def hello():
    # The readiness probe (the seed's, on /) is not load: only real requests spend CPU, so the
    # HPA sees traffic rather than the probes of all pods landing in one sampling window.
    if not request.headers.get("User-Agent", "").startswith("kube-probe/"):
        burn(CPU_PER_REQUEST)
    return f"Hello, Kubernetes! from Pod: {POD_NAME}\n"


@app.route("/healthz")
def health():
    return "OK", 200


if __name__ == "__main__":
    # Isolated network mode: the pod has its own IP and binds 5000. Host network mode: kubeproc
    # gives containerPort 5000 a free host port in $PORT.
    app.run(host="0.0.0.0", port=int(os.getenv("PORT", "5000")))

// The targets the benchmark reports against, each with the measured value and pass/fail.

function target({ name, value, limit, unit, note }) {
  const pass = typeof value === 'number' && Number.isFinite(value) && value < limit;
  return { name, limit: `< ${limit} ${unit}`, value, unit, pass, ...(note ? { note } : {}) };
}

/** Evaluates the four targets against the kubeproc part of the report. */
export function evaluateTargets(k) {
  const podCreate = k.crud.pods.sequential.create.p99Ms;
  const cmCreate = k.crud.configmaps.sequential.create.p99Ms;
  const checks = [
    target({
      name: 'ready (spawn -> first 200 on GET /version, median of cold starts)',
      value: k.startup.medianMs,
      limit: 1000,
      unit: 'ms',
    }),
    target({
      name: 'idle RSS after startup + idle period',
      value: k.idleMemory.rssMb,
      limit: 100,
      unit: 'MB',
    }),
    target({
      name: 'create p99, sequential, keep-alive (worse of ConfigMap and Pod)',
      value: Math.max(podCreate, cmCreate),
      limit: 5,
      unit: 'ms',
      note: `ConfigMap ${cmCreate} ms, Pod ${podCreate} ms`,
    }),
    target({
      name: 'list 1,000 pods as Table (median of requests)',
      value: k.list['1000']?.table.medianMs,
      limit: 50,
      unit: 'ms',
    }),
  ];
  return { allPass: checks.every((c) => c.pass), checks };
}

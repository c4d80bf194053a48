// The targets the benchmark reports against, each with the measured value and pass/fail.

function target(name, value, limit, unit, note) {
  const pass = typeof value === 'number' && Number.isFinite(value) && value < limit;
  return { name, limit: `< ${limit} ${unit}`, value, unit, pass, ...(note ? { note } : {}) };
}

/** Evaluates the four targets against the kubeproc part of the report. */
export function evaluateTargets(k) {
  const podCreate = k.crud?.pods?.sequential?.create?.p99Ms;
  const cmCreate = k.crud?.configmaps?.sequential?.create?.p99Ms;
  const list1k = k.list?.['1000']?.table?.medianMs;
  const checks = [
    target(
      'ready (spawn -> first 200 on GET /version, median of cold starts)',
      k.startup?.medianMs,
      1000,
      'ms',
    ),
    target('idle RSS after startup + idle period', k.idleMemory?.rssMb, 100, 'MB'),
    target(
      'create p99, sequential, keep-alive (worse of ConfigMap and Pod)',
      Math.max(podCreate, cmCreate),
      5,
      'ms',
      `ConfigMap ${cmCreate} ms, Pod ${podCreate} ms`,
    ),
    target('list 1,000 pods as Table (median of requests)', list1k, 50, 'ms'),
  ];
  return { allPass: checks.every((c) => c.pass), checks };
}

// Pure conversions from a container's resources to cgroup values, as the kubelet computes them
// (pkg/kubelet/cm/helpers_linux.go: MilliCPUToShares, MilliCPUToQuota, shares → weight).
import { parseQuantity } from '../../lib/quantity.js';

export const MIN_SHARES = 2;
export const MAX_SHARES = 262144;
export const SHARES_PER_CPU = 1024;
export const QUOTA_PERIOD_US = 100000;
export const MIN_QUOTA_US = 1000;

/** Requests and limits as the API carries them (quantity strings). */
export interface ResourceSpec {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

/** What a container cgroup is given; undefined means "no limit" (max). */
export interface CgroupLimits {
  cpuShares: number;
  cpuQuotaUs?: number;
  cpuPeriodUs: number;
  memoryBytes?: number;
  pidsMax?: number;
}

/** cpu.shares for a cpu request in millicores: 1024 per core, clamped to [2, 262144]. */
export function milliCpuToShares(milliCpu: number): number {
  if (milliCpu === 0) {
    return MIN_SHARES;
  }
  const shares = Math.floor((milliCpu * SHARES_PER_CPU) / 1000);
  return Math.min(MAX_SHARES, Math.max(MIN_SHARES, shares));
}

/** cfs quota for a cpu limit in millicores; undefined (no quota) for 0, at least 1000 us. */
export function milliCpuToQuota(milliCpu: number, periodUs = QUOTA_PERIOD_US): number | undefined {
  if (milliCpu === 0) {
    return undefined;
  }
  return Math.max(MIN_QUOTA_US, Math.floor((milliCpu * periodUs) / 1000));
}

/** cgroup v2 cpu.weight from v1 cpu.shares (KEP 2254's mapping). */
export function sharesToWeight(shares: number): number {
  return Math.floor(((shares - 2) * 9999) / 262142) + 1;
}

/** The cgroup values for a container's resources; pidsMax comes from node configuration. */
export function limitsFor(resources: ResourceSpec | undefined, pidsMax?: number): CgroupLimits {
  const milli = (q: string | undefined): number =>
    q === undefined ? 0 : parseQuantity(q).milliValue();
  const memory = resources?.limits?.memory;
  return {
    cpuShares: milliCpuToShares(milli(resources?.requests?.cpu)),
    cpuQuotaUs: milliCpuToQuota(milli(resources?.limits?.cpu)),
    cpuPeriodUs: QUOTA_PERIOD_US,
    memoryBytes: memory === undefined ? undefined : parseQuantity(memory).value(),
    pidsMax,
  };
}

// What the algorithm and the periods predict for the reaction figures, with no measurement: the
// metrics pipeline is a node sampler every R (a CPU rate over the last R), a scrape that runs v
// after each sample, and each HPA synced every S at a phase of its own.
import { round } from '../api/stats.js';

/**
 * The delay from a load step to the first HPA sync that acts on it, for phases uniformly random:
 * the first sample whose window holds at least fraction f of the new level comes at
 * u (u >= fR) or u + R, u ~ U[0, R); the scrape adds v; the next sync adds w ~ U[0, S).
 */
export function stepDelay({ resolutionS: R, syncS: S, offsetS: v, fraction: f }) {
  return {
    minS: round(f * R + v, 2),
    meanS: round((0.5 + f) * R + v + S / 2, 2),
    maxS: round((1 + f) * R + v + S, 2),
  };
}

/** Adds `s` seconds to each bound of a delay. */
const shift = (d, s) => ({
  minS: round(d.minS + s, 2),
  meanS: round(d.meanS + s, 2),
  maxS: round(d.maxS + s, 2),
});

/**
 * Expected reaction times for one configuration. loadPercent is the utilization the load gives
 * (cores / request); tolerance and targetPercent as the HPA's. windowS is the downscale
 * stabilization: a scale-down waits until the last high recommendation is older than it, i.e.
 * ceil(W / S) syncs after the last high one (sync starts are always a little more than S apart).
 */
export function reactionTheory({ resolutionS, syncS, offsetS, windowS, load, probePeriodS }) {
  const { loadPercent, targetPercent, tolerance } = load;
  // Up: the window's loaded fraction f must lift utilization above (1 + tol) x target.
  const fUp = Math.min(1, ((1 + tolerance) * targetPercent) / loadPercent);
  // Down: the idle fraction must bring it below (1 - tol) x target.
  const fDown = Math.min(1, 1 - ((1 - tolerance) * targetPercent) / loadPercent);
  const base = { resolutionS, syncS, offsetS };
  const decision = stepDelay({ ...base, fraction: fUp });
  const lowSeen = stepDelay({ ...base, fraction: fDown });
  const stabilizationS = (w) => (Math.ceil(w / syncS) - 1) * syncS;
  return {
    inputs: { resolutionS, syncS, offsetS, windowS, ...load, fUp, fDown: round(fDown, 3) },
    loadToDecision: decision,
    // A new pod is Ready one probe period after it starts: the first probe, sent at once, finds
    // the app not listening yet (bench/node measured apply -> Ready at 1.1-1.2 s with P = 1 s).
    loadToFirstNewPodReady: {
      minS: round(decision.minS + probePeriodS, 2),
      meanS: round(decision.meanS + probePeriodS + 0.2, 2),
      maxS: round(decision.maxS + probePeriodS + 0.5, 2),
      note: 'decision + pod start (~0.1-0.5 s) + one readiness probe period',
    },
    stopToScaleDown: shift(lowSeen, stabilizationS(windowS)),
    stopToScaleDownWithDefaultWindow5m: shift(lowSeen, stabilizationS(300)),
  };
}

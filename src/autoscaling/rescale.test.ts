// After the scale UPDATE: success and failure conditions, events and status; a failed GET.
import { describe, expect, it } from 'vitest';
import { decideScale } from './decide.js';
import {
  buildStatus,
  recordGetScaleFailure,
  recordRescaleFailure,
  recordRescaleSuccess,
} from './rescale.js';
import { scenarioInput } from './testing/controller-scenario.js';
import { NOW, makeHPA } from './testing/fixtures.js';

const LATER = new Date(NOW.getTime() + 15_000);

describe('rescale outcome', () => {
  const input = scenarioInput({
    min: 2,
    max: 6,
    specReplicas: 3,
    cpuTarget: 30,
    levels: [300, 500, 700],
  });
  input.hpa.status = {
    ...input.hpa.status,
    desiredReplicas: 3,
    lastScaleTime: '2024-01-01T00:00:00Z',
  };
  input.hpa.metadata.generation = 7;
  const decision = decideScale(input);

  it('on success: SucceededRescale, SuccessfulRescale, lastScaleTime and the new desired count', () => {
    const result = recordRescaleSuccess({ hpa: input.hpa, decision, now: LATER });
    expect(result.events).toEqual([
      {
        type: 'Normal',
        reason: 'SuccessfulRescale',
        message:
          'New size: 5; reason: cpu resource utilization (percentage of request) above target',
      },
    ]);
    const status = buildStatus(input.hpa, decision, result);
    expect(status).toMatchObject({
      observedGeneration: 7,
      currentReplicas: 3,
      desiredReplicas: 5,
      lastScaleTime: '2024-05-01T12:00:15Z',
    });
    expect(status.conditions?.[0]).toMatchObject({
      reason: 'SucceededRescale',
      message: 'the HPA controller was able to update the target scale to 5',
    });
  });

  it('on failure: FailedUpdateScale, FailedRescale, the old desired count and lastScaleTime', () => {
    const result = recordRescaleFailure({
      hpa: input.hpa,
      decision,
      now: LATER,
      error: 'conflict',
    });
    expect(result.events).toEqual([
      {
        type: 'Warning',
        reason: 'FailedRescale',
        message:
          'New size: 5; reason: cpu resource utilization (percentage of request) above target; error: conflict',
      },
    ]);
    expect(result.error).toBe(
      'failed to rescale ReplicationController/test-namespace/test-rc: conflict',
    );
    const status = buildStatus(input.hpa, decision, result);
    expect(status).toMatchObject({
      currentReplicas: 3,
      desiredReplicas: 3,
      lastScaleTime: '2024-01-01T00:00:00Z',
    });
    expect(status.conditions?.[0]).toMatchObject({
      type: 'AbleToScale',
      status: 'False',
      reason: 'FailedUpdateScale',
      message: 'the HPA controller was unable to update the target scale: conflict',
      lastTransitionTime: '2024-05-01T12:00:15Z',
    });
  });

  it('on a failed scale GET: FailedGetScale condition and event', () => {
    const hpa = makeHPA(
      {},
      { conditions: [{ type: 'AbleToScale', status: 'True', reason: 'SucceededRescale' }] },
    );
    const result = recordGetScaleFailure(hpa, 'deployments.apps "web" not found', NOW);
    expect(result.events).toEqual([
      { type: 'Warning', reason: 'FailedGetScale', message: 'deployments.apps "web" not found' },
    ]);
    expect(result.conditions).toEqual([
      {
        type: 'AbleToScale',
        status: 'False',
        reason: 'FailedGetScale',
        message:
          'the HPA controller was unable to get the target\'s current scale: deployments.apps "web" not found',
        lastTransitionTime: '2024-05-01T12:00:00Z',
      },
    ]);
  });
});

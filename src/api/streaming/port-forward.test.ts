import { describe, expect, it } from 'vitest';
import { portForwardStreamProblem, requestIdOf } from './port-forward.js';

describe('portForwardStreamProblem (the kubelet checks each stream)', () => {
  it.each([
    ['8080', 'data', undefined],
    ['1', 'error', undefined],
    ['', 'data', '"port" header is required'],
    ['http', 'data', 'unable to parse "http" as a port'],
    ['70000', 'data', 'unable to parse "70000" as a port'],
    ['0', 'data', 'port "0" must be > 0'],
    ['80', '', '"streamType" header is required'],
    ['80', 'stdin', 'invalid stream type "stdin"'],
  ])('port %j type %j', (port, streamType, problem) => {
    expect(portForwardStreamProblem({ port, streamType })).toBe(problem);
  });
});

describe('requestIdOf', () => {
  it.each([
    ['7', 'data', 9, '7'],
    ['', 'error', 5, '5'],
    ['', 'data', 7, '5'],
  ])('requestID %j %s stream %d -> %s', (requestID, type, id, pair) => {
    expect(requestIdOf(requestID, type, id)).toBe(pair);
  });
});

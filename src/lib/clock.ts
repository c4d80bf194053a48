// Time comes from an injected Clock, so loops and tests control it.

export interface Clock {
  now(): Date;
}

export const realClock: Clock = { now: () => new Date() };

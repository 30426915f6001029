// Time comes from here so that tests can move it.
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export class TestClock implements Clock {
  constructor(private t = Date.UTC(2026, 10, 23, 14, 0, 0)) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
  set(t: number): void {
    this.t = t;
  }
}

/**
 * Real time, moved by an offset a test sets: a browser journey keeps real time (the browser
 * does), but may step into the past to make promises that fell due days ago, then step back.
 */
export class ShiftedClock implements Clock {
  offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
}

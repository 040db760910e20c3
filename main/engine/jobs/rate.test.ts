import { describe, it, expect } from 'vitest';
import { RateMeter } from './rate.std.ts';

describe('RateMeter', () => {
  it('has no rate before two samples', () => {
    const m = new RateMeter();
    expect(m.rate()).toBeUndefined();
    m.add(0, 0);
    expect(m.rate()).toBeUndefined();
    expect(m.eta(0, 100)).toBeUndefined();
  });

  it('measures messages per second and the ETA from it', () => {
    const m = new RateMeter();
    m.add(0, 0);
    m.add(1000, 50);
    m.add(2000, 100);
    expect(m.rate()).toBe(50);
    expect(m.eta(100, 1100)).toBe(20);
  });

  it('forgets samples older than the window', () => {
    const m = new RateMeter(10_000);
    m.add(0, 0);
    m.add(1000, 1000); // a fast burst at the start
    m.add(20_000, 1100);
    m.add(30_000, 1200);
    // Only the last ~10 s count: 100 msgs in 10 s.
    expect(m.rate()).toBe(10);
  });

  it('restarts when the count goes backwards (a resumed run counts from zero)', () => {
    const m = new RateMeter();
    m.add(0, 0);
    m.add(1000, 500);
    m.add(2000, 0);
    expect(m.rate()).toBeUndefined();
    m.add(4000, 20);
    expect(m.rate()).toBe(10);
  });

  it('gives no ETA when nothing moves', () => {
    const m = new RateMeter();
    m.add(0, 10);
    m.add(1000, 10);
    expect(m.eta(10, 100)).toBeUndefined();
  });
});

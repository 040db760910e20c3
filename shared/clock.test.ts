import { describe, it, expect } from 'vitest';
import { formatClock, formatDateTime, formatLongDate, sayClock } from './clock.std.ts';

describe('one way to write a moment', () => {
  const at = new Date(2026, 11, 2, 7, 6);
  it('French says "7 h 06", never "07:06"; English "07:06"', () => {
    expect(formatClock(at, 'fr')).toBe('7\u00a0h\u00a006');
    expect(formatClock(at, 'en')).toBe('07:06');
    expect(formatDateTime(at, 'fr')).toBe('le 02/12/2026 à 7\u00a0h\u00a006');
    expect(formatDateTime(at, 'en', { bare: true })).toBe('2 Dec 2026 at 07:06');
  });
  it('a day in words', () => {
    expect(formatLongDate(at, 'fr')).toBe('2 décembre 2026');
    expect(formatLongDate(at, 'en')).toBe('2 December 2026');
  });
});

describe('sayClock', () => {
  it('says an "HH:MM" field the French way, leaves English and anything else as it is', () => {
    expect(sayClock('08:48', 'fr')).toBe('8\u00a0h\u00a048');
    expect(sayClock('21:04', 'fr')).toBe('21\u00a0h\u00a004');
    expect(sayClock('08:48', 'en')).toBe('08:48');
    expect(sayClock('demain', 'fr')).toBe('demain');
  });
});

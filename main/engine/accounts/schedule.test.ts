import { describe, expect, it } from 'vitest';
import { formatSchedule, isDue, isLate, lastPlannedAt, nextRunAfter, parseSchedule } from './schedule.std.ts';

const at = (d: number, h: number, m = 0) => new Date(2026, 11, d, h, m).getTime(); // December 2026, local time

describe('schedule: the words and the arithmetic (croner)', () => {
  it('reads daily@HH:MM, weekly, off, and refuses anything else', () => {
    expect(parseSchedule('daily@13:00')).toEqual({ kind: 'daily', hour: 13, minute: 0 });
    expect(parseSchedule('daily@7h30')).toEqual({ kind: 'daily', hour: 7, minute: 30 });
    expect(parseSchedule('weekly')).toEqual({ kind: 'weekly', hour: 13, minute: 0 });
    expect(parseSchedule('off')).toEqual({ kind: 'off' });
    for (const bad of ['daily@25:00', 'daily@13:60', 'hourly', '', 'daily@', 'weekly@1300']) expect(parseSchedule(bad), bad).toBeNull();
    expect(formatSchedule(parseSchedule('daily@7h05')!)).toBe('daily@07:05');
  });

  it('the next run and the last planned one', () => {
    const daily = parseSchedule('daily@13:00')!;
    expect(nextRunAfter(daily, at(2, 12))).toBe(at(2, 13));
    expect(nextRunAfter(daily, at(2, 13))).toBe(at(3, 13));
    expect(lastPlannedAt(daily, at(2, 13))).toBe(at(2, 13));
    expect(lastPlannedAt(daily, at(2, 12, 59))).toBe(at(1, 13));
    // 2026-12-07 is a Monday.
    expect(nextRunAfter(parseSchedule('weekly')!, at(2, 12))).toBe(at(7, 13));
    expect(nextRunAfter(parseSchedule('off')!, at(2, 12))).toBeNull();
  });

  it('due once a planned time passed since the last attempt; missed while off is due at start', () => {
    const daily = parseSchedule('daily@13:00')!;
    expect(isDue(daily, at(2, 13, 1), at(2, 18))).toBe(false); // ran today already
    expect(isDue(daily, at(1, 13, 1), at(2, 12))).toBe(false); // today's not yet
    expect(isDue(daily, at(1, 13, 1), at(2, 13))).toBe(true);
    // The computer was off from the 1st to the 5th at 9:00: due as soon as Arche starts.
    expect(isDue(daily, at(1, 13, 1), at(5, 9))).toBe(true);
    expect(isDue(parseSchedule('off')!, 0, at(5, 9))).toBe(false);
  });

  it('late: no good backup for twice the interval', () => {
    const daily = parseSchedule('daily@13:00')!;
    expect(isLate(daily, at(1, 13), at(1, 0), at(3, 12))).toBe(false);
    expect(isLate(daily, at(1, 13), at(1, 0), at(3, 14))).toBe(true);
    expect(isLate(daily, null, at(1, 0), at(3, 1))).toBe(true);
    expect(isLate(parseSchedule('off')!, null, 0, at(30, 0))).toBe(false);
  });
});

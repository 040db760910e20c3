import { describe, expect, it } from 'vitest';
import { checkDue, nextCheckAfter } from './check-schedule.std.ts';

const at = (y: number, m: number, d: number, h = 12): number => new Date(y, m - 1, d, h, 0, 0).getTime();

describe('the monthly check', () => {
  it('is planned on the 1st at 03:00, local time', () => {
    expect(new Date(nextCheckAfter(at(2026, 12, 2))).toString()).toBe(new Date(2027, 0, 1, 3, 0, 0).toString());
  });
  it('is owed once a month, and a month missed while off is owed at start', () => {
    // Checked on the 1st of December: not owed again on the 20th.
    expect(checkDue(at(2026, 12, 1, 4), 0, at(2026, 12, 20))).toBe(false);
    // The computer was off on the 1st of January: owed on the 5th.
    expect(checkDue(at(2026, 12, 1, 4), 0, at(2027, 1, 5))).toBe(true);
    // Never checked, account saved on the 10th: owed only after the next 1st.
    expect(checkDue(null, at(2026, 12, 10), at(2026, 12, 20))).toBe(false);
    expect(checkDue(null, at(2026, 12, 10), at(2027, 1, 1, 3) + 60_000)).toBe(true);
  });
});

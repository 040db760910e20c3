import { describe, expect, it } from 'vitest';
import { moveDays } from './daily-limits.std.ts';
import { formatError } from '../../../shared/errors.std.ts';

const MB = 1024 * 1024;

describe('a move under a daily IMAP limit', () => {
  it('into Gmail: 500 MB a day up; out of Gmail: 2,500 MB a day down; elsewhere one go', () => {
    expect(moveDays(3000 * MB, 'mail.mailo.com', 'imap.gmail.com')).toEqual({ days: 6, provider: 'Gmail' });
    expect(moveDays(3000 * MB, 'imap.gmail.com', 'mail.mailo.com')).toEqual({ days: 2, provider: 'Gmail' });
    expect(moveDays(400 * MB, 'mail.mailo.com', 'imap.gmail.com')).toEqual({ days: 1, provider: null });
    expect(moveDays(30000 * MB, 'mail.mailo.com', 'imap.orange.fr')).toEqual({ days: 1, provider: null });
  });
  it('the plan says it in plain words, with nothing to do', () => {
    const w = formatError({ code: 'move-takes-days', fields: { days: 6, provider: 'Gmail' } }, 'fr');
    expect(w).toMatch(/Gmail limite .* environ 6 jours/);
    expect(w).toMatch(/Rien à faire/);
  });
});

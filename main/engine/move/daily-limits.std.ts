/**
 * Providers that cap how much IMAP may carry per day: Gmail about 2,500 MB a day down and 500 MB a day up. A move
 * bigger than that takes several days (Arche stops cleanly at the limit and goes on later): the plan says so first.
 */
const MB = 1024 * 1024;

interface DailyLimit {
  provider: string;
  host: RegExp;
  downBytes: number;
  upBytes: number;
}

export const DAILY_LIMITS: DailyLimit[] = [{ provider: 'Gmail', host: /^imap\.gmail\.com$/i, downBytes: 2500 * MB, upBytes: 500 * MB }];

/** The number of days a move of `bytes` takes under these hosts' daily limits (1 when none applies), and whose. */
export function moveDays(bytes: number, sourceHost: string, destinationHost: string): { days: number; provider: string | null } {
  let days = 1;
  let provider: string | null = null;
  for (const l of DAILY_LIMITS) {
    const down = l.host.test(sourceHost) ? Math.ceil(bytes / l.downBytes) : 1;
    const up = l.host.test(destinationHost) ? Math.ceil(bytes / l.upBytes) : 1;
    const d = Math.max(down, up);
    if (d > days) {
      days = d;
      provider = l.provider;
    }
  }
  return { days, provider };
}

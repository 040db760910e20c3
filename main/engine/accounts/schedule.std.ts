/**
 * An account's automatic backup: "daily@13:00" (every day at 13:00, local time), "weekly" / "weekly@HH:MM"
 * (Mondays), or "off". The date arithmetic (next run, last planned run) is croner's, not ours: months, DST changes and
 * leap days are its job.
 */
import { Cron } from 'croner';

export type Schedule = { kind: 'daily'; hour: number; minute: number } | { kind: 'weekly'; hour: number; minute: number } | { kind: 'off' };

/** Every new account is backed up every day at 13:00 unless the user says otherwise. */
export const DEFAULT_SCHEDULE = { kind: 'daily', hour: 13, minute: 0 } as const satisfies Schedule;

const DAY_MS = 24 * 60 * 60 * 1000;

/** "daily@13:00" | "daily" | "weekly" | "weekly@08:30" | "off" → Schedule; null when the text is none of those. */
export function parseSchedule(text: string): Schedule | null {
  const t = text.trim().toLowerCase();
  if (t === 'off') return { kind: 'off' };
  const m = /^(daily|weekly)(?:@(\d{1,2})(?::|h)(\d{2}))?$/.exec(t);
  if (!m) return null;
  const hour = m[2] === undefined ? DEFAULT_SCHEDULE.hour : Number(m[2]);
  const minute = m[3] === undefined ? 0 : Number(m[3]);
  if (hour > 23 || minute > 59) return null;
  return { kind: m[1] as 'daily' | 'weekly', hour, minute };
}

/** The stored spelling, which parseSchedule reads back. */
export function formatSchedule(s: Schedule): string {
  if (s.kind === 'off') return 'off';
  return `${s.kind}@${String(s.hour).padStart(2, '0')}:${String(s.minute).padStart(2, '0')}`;
}

/** The cron pattern of a schedule (weekly = Mondays), or null when off. */
export function cronPattern(s: Schedule): string | null {
  if (s.kind === 'off') return null;
  return `${s.minute} ${s.hour} * * ${s.kind === 'weekly' ? '1' : '*'}`;
}

/** The time between two planned runs (ms), or null when off. */
export function intervalMs(s: Schedule): number | null {
  return s.kind === 'off' ? null : s.kind === 'daily' ? DAY_MS : 7 * DAY_MS;
}

function cron(s: Schedule): Cron | null {
  const p = cronPattern(s);
  // paused: croner only computes dates here; Arche's own scheduler decides when to run.
  return p ? new Cron(p, { paused: true }) : null;
}

/** The first planned run strictly after `after` (ms), or null when off. */
export function nextRunAfter(s: Schedule, after: number): number | null {
  const next = cron(s)?.nextRun(new Date(after));
  return next ? next.getTime() : null;
}

/** The last planned run at or before `now` (ms), or null when off. */
export function lastPlannedAt(s: Schedule, now: number): number | null {
  const prev = cron(s)?.previousRuns(1, new Date(now + 1000))[0];
  return prev && prev.getTime() <= now ? prev.getTime() : null;
}

/**
 * Whether a backup is due now: a planned run has passed since the last attempt (or since the account was added). A run
 * missed while the computer was off is due as soon as Arche starts again: the same rule, nothing to remember.
 */
export function isDue(s: Schedule, since: number, now: number): boolean {
  const planned = lastPlannedAt(s, now);
  return planned !== null && planned > since;
}

/**
 * Late ("en retard"): no good backup for twice the interval (counted from when the account was added when there
 * has never been one). An account whose schedule is off is never late.
 */
export function isLate(s: Schedule, lastGoodAt: number | null, addedAt: number, now: number): boolean {
  const every = intervalMs(s);
  return every !== null && now - (lastGoodAt ?? addedAt) > 2 * every;
}

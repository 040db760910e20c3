/**
 * "Vérifier mes copies" runs by itself once a month (the 1st, at 03:00 local time, when the computer is usually
 * idle; a month missed while the computer was off runs soon after it starts, like a missed backup). For the app's
 * scheduler and `arche backup --all` (issue 13, part A): `checkDue` says whether the monthly check is owed, and the
 * job to start is `{ kind: 'check', accounts }` (main/engine/jobs/job-types.std.ts). The date arithmetic is croner's.
 */
import { Cron } from 'croner';

/** The schedule kind of the archive's own check: monthly, 1st of the month at 03:00. */
export const CHECK_SCHEDULE = { kind: 'monthly', day: 1, hour: 3, minute: 0 } as const;
const PATTERN = `${CHECK_SCHEDULE.minute} ${CHECK_SCHEDULE.hour} ${CHECK_SCHEDULE.day} * *`;

function cron(): Cron {
  // paused: croner only computes dates; Arche's scheduler decides when to run.
  return new Cron(PATTERN, { paused: true });
}

/** The next planned check strictly after `after` (ms). */
export function nextCheckAfter(after: number): number {
  return cron().nextRun(new Date(after))!.getTime();
}

/**
 * Whether a check is owed at `now`: a planned check has passed since the last one ended (or, never checked, since
 * `since`, e.g. when the first account was saved).
 */
export function checkDue(lastCheckAt: number | null, since: number, now: number): boolean {
  const prev = cron().previousRuns(1, new Date(now + 1000))[0];
  if (!prev || prev.getTime() > now) return false;
  return prev.getTime() > (lastCheckAt ?? since);
}

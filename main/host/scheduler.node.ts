/**
 * The app's own scheduler (issue 13): while Arche runs (`arche serve`, the desktop app, its tray), each saved
 * account is backed up at its planned time. A run missed while the computer was off is due as soon as Arche
 * starts again (it runs `startDelayMs` after start, not in the middle of start-up); one account is never backed up
 * twice at once (here, a hand-started "Tout sauvegarder maintenant" included, and across processes by the backup's
 * lock file); an account that could not be reached
 * (offline) is retried every `offlineRetryMs`, quietly, until it works. A refusal (wrong password) is not retried
 * before the next planned time: it would fail the same way, and it is shown on the dashboard.
 *
 * The clock and the timer are injected: the tests move time by hand.
 */
import type { ArcheErrorData } from '../../shared/errors.std.ts';
import { dueNow, type LastRun, type SavedAccount, type SavedAccounts } from '../engine/accounts/saved-accounts.node.ts';
import { toErrorData } from '../engine/jobs/error-data.std.ts';

/** A backup started by hand as a job of the host's runner: its id, and when its worker has stopped (any end). */
export interface StartedBackup {
  jobId: string;
  stopped: Promise<void>;
}

/** What "Tout sauvegarder maintenant" started (job ids; null when run here) and what it could not start, with why. */
export interface BackupAllAnswer {
  started: { url: string; jobId: string | null }[];
  refused: { url: string; error: ArcheErrorData }[];
}

export interface SchedulerDeps {
  saved: SavedAccounts;
  /** Backs up one saved account and records its result (saved-backup.node.ts `backupSaved`). */
  run: (a: SavedAccount) => Promise<LastRun>;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** Wait after start before the first look (missed runs go then). Default 1 minute. */
  startDelayMs?: number;
  /** How often the list is looked at. Default 1 minute (a small JSON file). */
  pollMs?: number;
  /** Offline: try again after this long. Default 15 minutes. */
  offlineRetryMs?: number;
  /**
   * The archives whose monthly check is owed at `now` (saved-check.node.ts `checksDue`), by directory; each is
   * checked after the backups of the look that found it due. Absent: no check by schedule.
   */
  checksDue?: (now: number) => string[];
  /** Checks one archive and records when (copies.json), so that it is not due again before next month. */
  runCheck?: (archiveDir: string) => Promise<void>;
  /** Told after each run (the Electron host raises a notification on a failure or an alarm). */
  onResult?: (a: SavedAccount, run: LastRun) => void;
}

export class BackupScheduler {
  private readonly running = new Set<string>();
  private readonly checking = new Set<string>();
  private timer: unknown = null;
  private stopped = true;
  private readonly looks = new Set<Promise<void>>();
  private readonly now: () => number;

  constructor(private readonly deps: SchedulerDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** The accounts whose backup is due now and not already running. */
  due(): SavedAccount[] {
    const now = this.now();
    return this.deps.saved.list().filter((a) => !this.running.has(a.url) && dueNow(a, now, this.deps.offlineRetryMs));
  }

  /** Runs every due account, one after another; returns when they are done. */
  async tick(): Promise<void> {
    const due = this.due();
    for (const a of due) this.running.add(a.url);
    try {
      for (const a of due) {
        try {
          const run = await this.deps.run(a);
          this.deps.onResult?.(a, run);
        } catch {
          // run() records its own failures; a throw here (the list unwritable) is tried again at the next look.
        } finally {
          this.running.delete(a.url);
        }
      }
    } finally {
      for (const a of due) this.running.delete(a.url);
    }
    await this.checkDue();
  }

  /** The monthly check of each archive that owes one, one at a time, never twice at once. */
  private async checkDue(): Promise<void> {
    const { checksDue, runCheck } = this.deps;
    if (!checksDue || !runCheck) return;
    let dirs: string[];
    try {
      dirs = checksDue(this.now()).filter((d) => !this.checking.has(d));
    } catch {
      return; // the list unreadable: tried again at the next look
    }
    for (const d of dirs) this.checking.add(d);
    for (const d of dirs) {
      try {
        await runCheck(d);
      } catch {
        // A check that could not run (archive locked, disk away) is owed still: tried again at the next look.
      } finally {
        this.checking.delete(d);
      }
    }
  }

  /**
   * "Tout sauvegarder maintenant" (the dashboard, the tray): every saved account (schedule off included), through this
   * scheduler so that a planned run and a hand-started one never overlap for one account. An account already being
   * backed up (by schedule or by hand) is not started again: it is answered `backup-running`.
   * With `start`, each backup is a job of the host's runner (its progress on screen), the account held until the job
   * stops; without, each runs here through `run`, one after another, and this resolves when they are done.
   */
  async backupAllNow(start?: (a: SavedAccount) => StartedBackup): Promise<BackupAllAnswer> {
    const answer: BackupAllAnswer = { started: [], refused: [] };
    const todo: SavedAccount[] = [];
    for (const a of this.deps.saved.list()) {
      if (this.running.has(a.url)) answer.refused.push({ url: a.url, error: { code: 'backup-running', fields: { account: a.url } } });
      else todo.push(a);
    }
    if (start) {
      for (const a of todo) {
        try {
          const job = start(a);
          this.running.add(a.url);
          answer.started.push({ url: a.url, jobId: job.jobId });
          void job.stopped.finally(() => this.running.delete(a.url));
        } catch (e) {
          // One account that cannot start (no password kept) never stops the others: named in the answer.
          answer.refused.push({ url: a.url, error: toErrorData(e) });
        }
      }
      return answer;
    }
    for (const a of todo) this.running.add(a.url);
    for (const a of todo) {
      try {
        this.deps.onResult?.(a, await this.deps.run(a));
        answer.started.push({ url: a.url, jobId: null });
      } catch (e) {
        answer.refused.push({ url: a.url, error: toErrorData(e) }); // recorded by run() too; see tick()
      } finally {
        this.running.delete(a.url);
      }
    }
    return answer;
  }

  /** Resolves when the looks started by the timer are done (the host waits for it before closing; tests too). */
  async settled(): Promise<void> {
    await Promise.all([...this.looks]);
  }

  /** Which accounts are being backed up right now. */
  busy(): string[] {
    return [...this.running];
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(this.deps.startDelayMs ?? 60_000);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) (this.deps.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout)))(this.timer);
    this.timer = null;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    const set = this.deps.setTimer ?? ((fn, t) => setTimeout(fn, t).unref());
    this.timer = set(() => {
      this.timer = null;
      // The next look is planned as soon as this one starts: a long backup does not stop the others' schedule.
      this.schedule(this.deps.pollMs ?? 60_000);
      const look = this.tick();
      this.looks.add(look);
      void look.finally(() => this.looks.delete(look));
    }, ms);
  }
}

/**
 * The saved accounts: every account the user added once, to be backed up without anyone touching Arche (`arche
 * backup --all`, the app's scheduler, the OS scheduler's entry) and shown on the dashboard. One JSON file in Arche's
 * config folder, holding NOTHING secret: the account's address, its connection options (CA files, the certificate
 * the user chose to trust), its archive folder, its schedule and its last results. Passwords and tokens live in the
 * keychain (main/host/passwords.node.ts), or, on a machine without one, only in the environment variable the user
 * named (its NAME is kept here, never its value).
 *
 * Every change re-reads the file and replaces it atomically (temp file + rename), so that a reader never sees half a
 * file and the app's scheduler and a `backup --all` started by the OS each keep the other's results.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { ArcheErrorData } from '../../../shared/errors.std.ts';
import type { SavedAccountStatus, SavedAccountView } from '../../../shared/api.std.ts';
import { DEFAULT_SCHEDULE, formatSchedule, isDue, isLate, nextRunAfter, parseSchedule, type Schedule } from './schedule.std.ts';

export const ACCOUNTS_FILE = 'accounts.json';

/** Arche's config folder (not the archive): ARCHE_CONFIG_DIR, else the OS's own place for settings. */
export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = os.homedir()): string {
  if (env.ARCHE_CONFIG_DIR && path.isAbsolute(env.ARCHE_CONFIG_DIR)) return env.ARCHE_CONFIG_DIR;
  if (platform === 'darwin') return path.join(home, 'Library', 'Preferences', 'Arche');
  if (platform === 'win32') return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), 'Arche', 'config');
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, '.config');
  return path.join(base, 'arche');
}

/** A stored reason (code + fields); a code from another version still reads as a sentence (describeError). */
const errorData = z.custom<ArcheErrorData>((v) => typeof v === 'object' && v !== null && typeof (v as { code?: unknown }).code === 'string' && typeof (v as { fields?: unknown }).fields === 'object');

const lastRun = z.object({
  /** When the run started and ended (ms). */
  startedAt: z.number(),
  finishedAt: z.number(),
  status: z.enum(['ok', 'alarm', 'failed']),
  /** Messages kept for this account after the run, and new ones; absent when it failed. */
  messages: z.number().optional(),
  new: z.number().optional(),
  /** Why it failed or what the alarm says (code + fields, words in shared/errors). */
  error: errorData.optional(),
  /** Failed because the server could not be reached (offline): retried later, quietly. */
  offline: z.boolean().optional(),
  /**
   * Stopped on the provider's daily limit (Gmail's bandwidth): goes on by itself from this time (ms), not before.
   * Not a failure to show: nothing is to be done.
   */
  resumeAt: z.number().optional(),
});

const savedAccount = z.object({
  /** The account's canonical address (the archive's key), e.g. imaps://marie%40example.fr@imap.example.fr:993 */
  url: z.string(),
  /** The address shown to the user. */
  email: z.string(),
  auth: z.enum(['password', 'oauth']).default('password'),
  /** Extra trusted CA certificate files (paths; read at each run). */
  caFiles: z.array(z.string()).optional(),
  /** The one certificate the user chose to trust (SHA-256, AA:BB:…). */
  trustedFingerprint: z.string().optional(),
  /** The archive folder (absolute); absent = the default archive. */
  archiveDir: z.string().optional(),
  /** On a machine without a keychain: the NAME of the environment variable holding the password. */
  passwordEnv: z.string().optional(),
  /** "daily@13:00" | "weekly@13:00" | "off" */
  schedule: z.string().refine((s) => parseSchedule(s) !== null),
  addedAt: z.number(),
  /** The last run's start, whatever its result (the scheduler's "since"). */
  lastAttemptAt: z.number().optional(),
  /** The end of the last run that went well (ok or alarm: the copy was made). */
  lastGoodAt: z.number().optional(),
  last: lastRun.optional(),
});

export type SavedAccount = z.infer<typeof savedAccount>;
export type LastRun = z.infer<typeof lastRun>;

const fileSchema = z.object({ version: z.literal(1), accounts: z.array(savedAccount) });

export interface NewAccount {
  url: string;
  email: string;
  auth?: 'password' | 'oauth';
  caFiles?: string[];
  trustedFingerprint?: string;
  archiveDir?: string;
  passwordEnv?: string;
  schedule?: Schedule;
}

export class SavedAccounts {
  readonly file: string;
  constructor(readonly configDir: string = defaultConfigDir()) {
    this.file = path.join(configDir, ACCOUNTS_FILE);
  }

  list(): SavedAccount[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    return fileSchema.parse(JSON.parse(text)).accounts;
  }

  get(url: string): SavedAccount | undefined {
    return this.list().find((a) => a.url === url);
  }

  /** Adds the account, or replaces its options (keeping its results) when it is already saved. */
  add(a: NewAccount, now = Date.now()): SavedAccount {
    let saved!: SavedAccount;
    this.update((list) => {
      const old = list.find((x) => x.url === a.url);
      saved = {
        url: a.url,
        email: a.email,
        auth: a.auth ?? 'password',
        ...(a.caFiles?.length ? { caFiles: a.caFiles.map((f) => path.resolve(f)) } : {}),
        ...(a.trustedFingerprint ? { trustedFingerprint: a.trustedFingerprint } : {}),
        ...(a.archiveDir ? { archiveDir: path.resolve(a.archiveDir) } : {}),
        ...(a.passwordEnv ? { passwordEnv: a.passwordEnv } : {}),
        schedule: formatSchedule(a.schedule ?? DEFAULT_SCHEDULE),
        addedAt: old?.addedAt ?? now,
        ...(old?.lastAttemptAt !== undefined ? { lastAttemptAt: old.lastAttemptAt } : {}),
        ...(old?.lastGoodAt !== undefined ? { lastGoodAt: old.lastGoodAt } : {}),
        ...(old?.last ? { last: old.last } : {}),
      };
      return old ? list.map((x) => (x.url === a.url ? saved : x)) : [...list, saved];
    });
    return saved;
  }

  /** Removes the account from the list (its archived mail stays); false when it was not saved. */
  remove(url: string): boolean {
    let found = false;
    this.update((list) => {
      found = list.some((a) => a.url === url);
      return list.filter((a) => a.url !== url);
    });
    return found;
  }

  setSchedule(url: string, schedule: Schedule): void {
    this.update((list) => list.map((a) => (a.url === url ? { ...a, schedule: formatSchedule(schedule) } : a)));
  }

  /** A run starts: the scheduler counts from here (a failed run is not retried at once by the schedule). */
  markAttempt(url: string, at: number): void {
    this.update((list) => list.map((a) => (a.url === url ? { ...a, lastAttemptAt: at } : a)));
  }

  /** A run ended: its result, shown by `accounts list`, the dashboard and `schedule status`. */
  recordResult(url: string, run: LastRun): void {
    this.update((list) =>
      list.map((a) => (a.url === url ? { ...a, lastAttemptAt: Math.max(a.lastAttemptAt ?? 0, run.startedAt), last: run, ...(run.status !== 'failed' ? { lastGoodAt: run.finishedAt } : {}) } : a)),
    );
  }

  private update(change: (list: SavedAccount[]) => SavedAccount[]): void {
    const next = change(this.list());
    mkdirSync(this.configDir, { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ version: 1, accounts: next }, null, 2) + '\n', { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}

/** The archive folder of a saved account. */
export function archiveOf(a: SavedAccount, defaultArchive: string): string {
  return a.archiveDir ?? defaultArchive;
}

/** The account's state in words the dashboard and `accounts list` share (the renderer turns the status into colour). */
export function statusOf(a: SavedAccount, now: number): SavedAccountStatus {
  const schedule = parseSchedule(a.schedule) ?? DEFAULT_SCHEDULE;
  // The alarm first: the server lost mail that only the archive keeps.
  if (a.last?.status === 'alarm') return 'alarm';
  // Offline is not a failure to show: retried later, quietly (it turns "late" if it lasts).
  if (a.last?.status === 'failed' && !a.last.offline && a.last.resumeAt === undefined) return 'failed';
  if (isLate(schedule, a.lastGoodAt ?? null, a.addedAt, now)) return 'late';
  if (a.lastGoodAt === undefined) return 'never';
  return 'ok';
}

/** One saved account as the screens and `accounts list --json` show it. */
export function viewOf(a: SavedAccount, defaultArchive: string, now: number): SavedAccountView {
  const schedule = parseSchedule(a.schedule) ?? DEFAULT_SCHEDULE;
  return {
    url: a.url,
    email: a.email,
    auth: a.auth,
    archiveDir: archiveOf(a, defaultArchive),
    schedule: a.schedule,
    status: statusOf(a, now),
    lastGoodAt: a.lastGoodAt ?? null,
    // Stopped on a daily limit: the next run is when the limit ends (dueNow's rule), not the planned time.
    nextAt: pendingResume(a) ?? nextRunAfter(schedule, now),
    last: a.last ?? null,
    ...(a.trustedFingerprint ? { trustedFingerprint: a.trustedFingerprint } : {}),
    ...(a.caFiles ? { caFiles: a.caFiles } : {}),
  };
}

/** When a run stopped on the provider's daily limit goes on, while it has not yet. */
function pendingResume(a: SavedAccount): number | undefined {
  const r = a.last?.status === 'failed' ? a.last.resumeAt : undefined;
  return r !== undefined && (a.lastAttemptAt ?? a.addedAt) < r ? r : undefined;
}

/** Offline last time: tried again after this long, until it works. */
export const OFFLINE_RETRY_MS = 15 * 60_000;

/**
 * Whether a saved account's backup is due now: a planned time has passed since its last run (or since it was added;
 * so a run missed while the computer was off is due at once), or it could not be reached last time and a while has
 * passed, or it stopped on the provider's daily limit and the time it goes on has come (Gmail: "reprise demain vers
 * 9 h", resumed then, without waiting for the next planned time). The one rule of the app's scheduler and of
 * `arche backup --all --due` (the OS scheduler's entry).
 */
export function dueNow(a: SavedAccount, now: number, offlineRetryMs = OFFLINE_RETRY_MS): boolean {
  const schedule = parseSchedule(a.schedule);
  if (!schedule || schedule.kind === 'off') return false;
  const since = a.lastAttemptAt ?? a.addedAt;
  const resumeAt = pendingResume(a);
  // Before the limit's end, not even a planned time helps: the provider would refuse again.
  if (resumeAt !== undefined) return now >= resumeAt;
  if (isDue(schedule, since, now)) return true;
  return a.last?.status === 'failed' && a.last.offline === true && now - since >= offlineRetryMs;
}

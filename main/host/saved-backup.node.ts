/**
 * Backs up one saved account, unattended: its password from the keychain (else the environment variable the user
 * named when there is no keychain), its connection options from the saved list, its result recorded in the list.
 * The one implementation used by `arche backup --all`, the app's scheduler and the OS scheduler's entry (which runs
 * `arche backup --all`). Never throws: every failure becomes a result naming its reason.
 */
import type { ArcheErrorData } from '../../shared/errors.std.ts';
import { ArcheError } from '../../shared/errors.std.ts';
import type { AccountSpec, OAuthGrant } from '../../shared/types.std.ts';
import { keepGrantFresh } from './kept-grant.node.ts';
import { archiveOf, type LastRun, type SavedAccount, type SavedAccounts } from '../engine/accounts/saved-accounts.node.ts';
import { toErrorData } from '../engine/jobs/error-data.std.ts';
import { backup, type BackupSummary } from '../engine/keep/backup.node.ts';
import type { ProgressEvent } from '../../shared/events.std.ts';
import type { JobState } from '../../shared/api.std.ts';
import { readCaFiles } from './ca-files.node.ts';
import type { PasswordStore } from './passwords.node.ts';
// "Not reachable right now" (offline, Wi-Fi down, server restarting): retried later, quietly.
import { isUnreachable } from '../../shared/unreachable.std.ts';


export interface SavedBackupDeps {
  saved: SavedAccounts;
  /** The keychain, or null on a machine without one. */
  passwords: PasswordStore | null;
  env: NodeJS.ProcessEnv;
  /** The archive of accounts saved without one. */
  defaultArchive: string;
  now?: () => number;
  /** Extra trusted CA certificates for every account (`arche serve --ca-file`). */
  ca?: string[];
  /** Tests replace the backup (unit tests of the scheduler); the real one by default. */
  backup?: (spec: AccountSpec, opts: { archiveDir: string; onProgress?: (p: ProgressEvent) => void }) => Promise<BackupSummary>;
}

export interface SavedBackupResult {
  account: SavedAccount;
  archiveDir: string;
  run: LastRun;
  summary: BackupSummary | null;
}

/** Password and connection options of a saved account; `keychain-password-missing` when there is no password. */
export function savedSpec(a: SavedAccount, passwords: PasswordStore | null, env: NodeJS.ProcessEnv, ca: string[] = []): AccountSpec {
  const kept = passwords?.get(a.url);
  if (a.auth === 'oauth' || kept?.oauth) return oauthSpec(a, kept?.oauth, ca);
  const fromEnv = a.passwordEnv ? env[a.passwordEnv] : undefined;
  const password = kept?.password ?? (fromEnv || undefined);
  if (password === undefined) throw new ArcheError('keychain-password-missing', { account: a.url, ...(a.passwordEnv ? { variable: a.passwordEnv } : {}) });
  const spec: AccountSpec = { url: a.url, password };
  const cas = [...ca, ...readCaFiles(a.caFiles)];
  if (cas.length) spec.ca = cas;
  const fp = a.trustedFingerprint ?? kept?.trustedFingerprint;
  if (fp) spec.trustedFingerprint = fp;
  return spec;
}

/** An OAuth account: its grant from the keychain; none kept means "sign in again" (oauth-revoked), never a loop. */
function oauthSpec(a: SavedAccount, grant: OAuthGrant | undefined, ca: string[]): AccountSpec {
  if (!grant) throw new ArcheError('oauth-revoked', { user: a.email });
  const spec: AccountSpec = { url: a.url, password: '', oauth: grant };
  const cas = [...ca, ...readCaFiles(a.caFiles)];
  if (cas.length) spec.ca = cas;
  if (a.trustedFingerprint) spec.trustedFingerprint = a.trustedFingerprint;
  return spec;
}

/** A backup's result as the saved list keeps it: ok, alarm (with what the server lost) or failed (with why). */
export function runOf(url: string, startedAt: number, finishedAt: number, summary: Pick<BackupSummary, 'messages' | 'new' | 'alarms'> | null, error?: ArcheErrorData): LastRun {
  if (!summary) {
    const e: ArcheErrorData = error ?? { code: 'internal', fields: {} };
    const resumeAt = e.code === 'provider-bandwidth-limit' ? Number(e.fields.resumeAt) : NaN;
    return { startedAt, finishedAt, status: 'failed', error: e, ...(isUnreachable(e) ? { offline: true } : {}), ...(Number.isFinite(resumeAt) ? { resumeAt } : {}) };
  }
  const alarm = summary.alarms[0];
  return {
    startedAt,
    finishedAt,
    status: alarm ? 'alarm' : 'ok',
    messages: summary.messages,
    new: summary.new,
    ...(alarm ? { error: { code: 'backup-alarm-lost', fields: { folder: alarm.folder, missing: alarm.missing, command: `arche restore --to ${url}` } } } : {}),
  };
}

/**
 * A backup started by hand (the dashboard's "Tout sauvegarder maintenant", the account screen) of a saved account:
 * its end recorded in the saved list like a scheduled one, so the dashboard's card shows it. Other jobs: nothing.
 */
export function recordBackupJob(saved: SavedAccounts, job: JobState, now: number): void {
  if (job.kind !== 'backup' || (job.status !== 'done' && job.status !== 'failed')) return;
  try {
    if (!saved.get(job.account)) return;
  } catch {
    return;
  }
  const summary = job.status === 'done' ? (job.result as BackupSummary | undefined) ?? null : null;
  const error = job.status === 'failed' ? job.error : undefined;
  if (job.status === 'done' && !summary) return;
  try {
    saved.recordResult(job.account, runOf(job.account, job.startedAt, now, summary, error));
  } catch {
    // The list unwritable (disk full): the job's own result is still shown; the next scheduled run records again.
  }
}

export async function backupSaved(a: SavedAccount, deps: SavedBackupDeps, onProgress?: (p: ProgressEvent) => void): Promise<SavedBackupResult> {
  const now = deps.now ?? Date.now;
  const archiveDir = archiveOf(a, deps.defaultArchive);
  const startedAt = now();
  deps.saved.markAttempt(a.url, startedAt);
  let run: LastRun;
  let summary: BackupSummary | null = null;
  // A refresh that rotates the refresh token is written back to the keychain at once.
  const stopFollowing = deps.passwords ? keepGrantFresh(deps.passwords, a.url) : () => undefined;
  try {
    const spec = savedSpec(a, deps.passwords, deps.env, deps.ca);
    summary = await (deps.backup ?? backup)(spec, { archiveDir, ...(onProgress ? { onProgress } : {}) });
    run = runOf(a.url, startedAt, now(), summary);
  } catch (e) {
    run = runOf(a.url, startedAt, now(), null, toErrorData(e));
  } finally {
    stopFollowing();
  }
  deps.saved.recordResult(a.url, run);
  return { account: a, archiveDir, run, summary };
}

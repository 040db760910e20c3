/**
 * The scheduler as both hosts start it (`arche serve` and the desktop app): the saved accounts of Arche's config
 * folder, backed up through backupSaved with the host's password store (the OS keychain), started at launch; and the
 * monthly check of their archives (saved-check.node.ts).
 */
import type { LastRun, SavedAccount } from '../engine/accounts/saved-accounts.node.ts';
import { SavedAccounts } from '../engine/accounts/saved-accounts.node.ts';
import type { PasswordStore } from './passwords.node.ts';
import { backupSaved } from './saved-backup.node.ts';
import { checksDue, checkSavedArchive } from './saved-check.node.ts';
import { BackupScheduler } from './scheduler.node.ts';

export interface HostSchedulerOptions {
  /** The archive of accounts saved without one (the host's archive). */
  archiveDir: string;
  passwords: PasswordStore | null;
  ca?: string[];
  saved?: SavedAccounts;
  onResult?: (a: SavedAccount, run: LastRun) => void;
}

export function startHostScheduler(opts: HostSchedulerOptions): BackupScheduler {
  const saved = opts.saved ?? new SavedAccounts();
  const scheduler = new BackupScheduler({
    saved,
    run: async (a) => (await backupSaved(a, { saved, passwords: opts.passwords, env: process.env, defaultArchive: opts.archiveDir, ...(opts.ca?.length ? { ca: opts.ca } : {}) })).run,
    // The monthly "Vérifier mes copies" of each archive (the 1st at 03:00, or soon after a start if it was missed).
    checksDue: (now) => checksDue(saved.list(), opts.archiveDir, now).map((c) => c.archiveDir),
    runCheck: async (dir) => {
      const c = checksDue(saved.list(), opts.archiveDir, Date.now()).find((x) => x.archiveDir === dir);
      if (c) await checkSavedArchive(c, { passwords: opts.passwords, env: process.env, ...(opts.ca?.length ? { ca: opts.ca } : {}) });
    },
    ...(opts.onResult ? { onResult: opts.onResult } : {}),
  });
  scheduler.start();
  return scheduler;
}

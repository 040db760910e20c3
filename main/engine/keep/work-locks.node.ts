/**
 * One backup per account at a time (base/lock-file.node.ts): a lock file per account in the archive directory.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { ArcheError } from '../../../shared/errors.std.ts';
import { acquireLock, type HeldLock } from '../base/lock-file.node.ts';

export function lockFileFor(archiveDir: string, accountUrl: string): string {
  const key = createHash('sha256').update(accountUrl).digest('hex').slice(0, 16);
  return path.join(archiveDir, 'locks', `backup-${key}.lock`);
}

export function acquireBackupLock(archiveDir: string, accountUrl: string): HeldLock {
  return acquireLock(lockFileFor(archiveDir, accountUrl), (h) => new ArcheError('backup-running', { account: accountUrl, ...(h ? { pid: h.pid } : {}) }));
}

/** One check of an archive at a time, whoever starts it ("Vérifier mes copies", `arche check`, the monthly one). */
export function checkLockFile(archiveDir: string): string {
  return path.join(archiveDir, 'locks', 'check.lock');
}

export function acquireCheckLock(archiveDir: string): HeldLock {
  return acquireLock(checkLockFile(archiveDir), (h) => new ArcheError('check-running', { dir: archiveDir, ...(h ? { pid: h.pid } : {}) }));
}

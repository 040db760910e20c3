/**
 * One backup per account at a time: a lock file in the archive directory holding the PID of the process that runs
 * it. A lock left by a process that no longer exists (killed, crashed, power cut) is taken over.
 * The file is created with link(2), which fails if the name exists: two processes can never both believe they hold it.
 */
import { createHash } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ArcheError } from '../../../shared/errors.std.ts';

export interface BackupLock {
  file: string;
  release(): void;
}

export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockFileFor(archiveDir: string, accountUrl: string): string {
  const key = createHash('sha256').update(accountUrl).digest('hex').slice(0, 16);
  return path.join(archiveDir, 'locks', `backup-${key}.lock`);
}

export function acquireBackupLock(archiveDir: string, accountUrl: string): BackupLock {
  const file = lockFileFor(archiveDir, accountUrl);
  mkdirSync(path.dirname(file), { recursive: true });
  const mine = `${file}.${process.pid}.${Date.now()}`;
  writeFileSync(mine, `${process.pid}\n`);
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(mine, file);
        return {
          file,
          release() {
            try {
              if (Number(readFileSync(file, 'utf8').trim()) === process.pid) unlinkSync(file);
            } catch {
              /* already gone */
            }
          },
        };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      let holder = NaN;
      try {
        holder = Number(readFileSync(file, 'utf8').trim());
      } catch {
        continue; // released between our link and our read: try again
      }
      // Our own PID counts as alive: two backups of one account in one process (worker threads) are refused too.
      if (processAlive(holder)) throw new ArcheError('backup-running', { account: accountUrl, pid: holder });
      // Stale: its process is gone. Remove it and try again.
      try {
        unlinkSync(file);
      } catch {
        /* someone else took it over first */
      }
    }
    throw new ArcheError('backup-running', { account: accountUrl });
  } finally {
    try {
      unlinkSync(mine);
    } catch {
      /* ignore */
    }
  }
}

/**
 * One lock file, one holder: the one lock module of Arche (a backup of one account, a check of one archive), shared
 * by every process that may start the same work — the CLI, the app's jobs, the app's scheduler, the OS scheduler's
 * `arche backup --all --due`.
 * The file is created with link(2), which fails if the name exists: two processes can never both believe they hold
 * it. It names its holder by PID and the process's start time (Linux: /proc/PID/stat), so a lock left by a process
 * that is gone (killed, crashed, power cut) is taken over, even when a new process was later given the same PID.
 * Worker threads share their process's PID and start time: a second holder in the same process is refused too.
 */
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface HeldLock {
  file: string;
  release(): void;
}

/** Who holds a lock: its PID, and its start time when the system tells it (null: unknown, the PID alone decides). */
export interface LockHolder {
  pid: number;
  start: string | null;
}

/** A process's start time in clock ticks since boot (Linux), else null: with the PID, it names one process for good. */
export function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null; // field 22 of stat(5)
  } catch {
    return null;
  }
}

const ownStart = processStart(process.pid);

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

/** The holder still runs: its PID exists and, when both are known, was started at the time the lock names. */
export function holderAlive(h: LockHolder): boolean {
  if (!processAlive(h.pid)) return false;
  if (h.start === null) return true;
  const now = processStart(h.pid);
  return now === null || now === h.start;
}

function readHolder(file: string): LockHolder {
  const [pid, start] = readFileSync(file, 'utf8').trim().split(/\s+/);
  return { pid: Number(pid), start: start || null };
}

function holderText(): string {
  return `${process.pid}${ownStart ? ` ${ownStart}` : ''}\n`;
}

/**
 * Takes the lock `file`, or throws what `busy(holder)` returns when a live process holds it. A stale lock (its
 * holder gone) is removed and taken.
 */
export function acquireLock(file: string, busy: (holder: LockHolder | null) => Error): HeldLock {
  mkdirSync(path.dirname(file), { recursive: true });
  const mine = `${file}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}`;
  writeFileSync(mine, holderText());
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(mine, file);
        return { file, release: () => releaseIfMine(file) };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      let holder: LockHolder;
      try {
        holder = readHolder(file);
      } catch {
        continue; // released between our link and our read: try again
      }
      if (holderAlive(holder)) throw busy(holder);
      // Stale: its process is gone. Remove it and try again (another process may take it first: then it is busy).
      try {
        unlinkSync(file);
      } catch {
        /* someone else took it over first */
      }
    }
    throw busy(null);
  } finally {
    try {
      unlinkSync(mine);
    } catch {
      /* ignore */
    }
  }
}

function releaseIfMine(file: string): void {
  try {
    const h = readHolder(file);
    if (h.pid === process.pid && (h.start === null || h.start === ownStart)) unlinkSync(file);
  } catch {
    /* already gone */
  }
}

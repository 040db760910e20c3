/**
 * The monthly check of the saved accounts' archives ("Vérifier mes copies" by schedule, check-schedule.std.ts): which
 * archives owe one now, and the check itself with every password Arche keeps (damaged messages fetched again).
 * One implementation for the app's scheduler and `arche backup --all --due` (the OS scheduler's entry).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ProgressEvent } from '../../shared/events.std.ts';
import type { AccountSpec } from '../../shared/types.std.ts';
import { archiveOf, type SavedAccount } from '../engine/accounts/saved-accounts.node.ts';
import { checkArchive, type CheckSummary } from '../engine/keep/check.node.ts';
import { checkDue, nextCheckAfter } from '../engine/keep/check-schedule.std.ts';
import { readCopiesRecord } from '../engine/keep/copies-record.node.ts';
import type { PasswordStore } from './passwords.node.ts';
import { savedSpec } from './saved-backup.node.ts';

export interface ArchiveCheck {
  archiveDir: string;
  /** The saved accounts kept in it. */
  accounts: SavedAccount[];
  /** When the first of them was saved: a never-checked archive owes its first check after this. */
  since: number;
  lastCheckAt: number | null;
  /** The next planned check; `now` when one is owed (it runs at the scheduler's next look). */
  nextAt: number;
}

/** The archives of the saved accounts (those that exist), each with its check's dates. */
export function savedArchives(accounts: SavedAccount[], defaultArchive: string, now = Date.now()): ArchiveCheck[] {
  const byDir = new Map<string, SavedAccount[]>();
  for (const a of accounts) {
    const dir = path.resolve(archiveOf(a, defaultArchive));
    byDir.set(dir, [...(byDir.get(dir) ?? []), a]);
  }
  const out: ArchiveCheck[] = [];
  for (const [archiveDir, list] of byDir) {
    // No archive yet (never backed up): nothing to check.
    if (!existsSync(path.join(archiveDir, 'arche.sqlite'))) continue;
    const since = Math.min(...list.map((a) => a.addedAt));
    const lastCheckAt = readCopiesRecord(archiveDir).lastCheck?.at ?? null;
    out.push({ archiveDir, accounts: list, since, lastCheckAt, nextAt: checkDue(lastCheckAt, since, now) ? now : nextCheckAfter(lastCheckAt ?? since) });
  }
  return out;
}

/** The archives whose monthly check is owed at `now` (a month missed while the computer was off included). */
export function checksDue(accounts: SavedAccount[], defaultArchive: string, now: number): ArchiveCheck[] {
  return savedArchives(accounts, defaultArchive, now).filter((c) => checkDue(c.lastCheckAt, c.since, now));
}

/** Checks one archive, signing in to the saved accounts whose password Arche keeps (the others are named, not mended). */
export async function checkSavedArchive(
  c: ArchiveCheck,
  deps: { passwords: PasswordStore | null; env: NodeJS.ProcessEnv; ca?: string[] },
  onProgress?: (p: ProgressEvent) => void,
): Promise<CheckSummary> {
  const specs: AccountSpec[] = [];
  for (const a of c.accounts) {
    try {
      specs.push(savedSpec(a, deps.passwords, deps.env, deps.ca));
    } catch {
      // No password kept for this one: its damaged messages are named instead of fetched again.
    }
  }
  return checkArchive({ archiveDir: c.archiveDir, accounts: specs, ...(onProgress ? { onProgress } : {}) });
}

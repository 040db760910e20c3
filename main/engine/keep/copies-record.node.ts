/**
 * What Arche remembers about the archive's own care, in `copies.json` next to the database: the last check
 * ("Vérifier mes copies"), where a paused check stopped, and the last second copy (`arche mirror`). The dashboard
 * reads it. A file rather than a table: a mirror copies the database, and a copy must not claim the original's record.
 * Written through a temp name and a rename, so a crash leaves the old record or the new one, never half of one.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ScannedDamage } from '../archive/content-scan.node.ts';

export const COPIES_FILE = 'copies.json';

export interface CheckRecord {
  at: number;
  /** Nothing damaged left and SQLite found nothing wrong. */
  ok: boolean;
  contents: number;
  bytes: number;
  repaired: number;
  /** Damaged messages that could not be fetched again (named to the user). */
  named: number;
  integrityProblems: number;
}

export interface MirrorRecord {
  at: number;
  to: string;
  ok: boolean;
  blobsCopied: number;
  bytesCopied: number;
}

export interface CopiesRecord {
  lastCheck?: CheckRecord;
  lastMirror?: MirrorRecord;
  /** A check paused part way: it resumes after `afterId`, with what it had already found. */
  checkResume?: { startedAt: number; afterId: number; damaged: ScannedDamage[]; contentsDone: number; bytesDone: number };
}

export function readCopiesRecord(archiveDir: string): CopiesRecord {
  try {
    const v = JSON.parse(readFileSync(path.join(archiveDir, COPIES_FILE), 'utf8')) as unknown;
    return v && typeof v === 'object' ? (v as CopiesRecord) : {};
  } catch {
    // Absent (never checked) or unreadable: nothing remembered, which the dashboard shows as "never".
    return {};
  }
}

export function updateCopiesRecord(archiveDir: string, change: (r: CopiesRecord) => CopiesRecord): CopiesRecord {
  const next = change(readCopiesRecord(archiveDir));
  const file = path.join(archiveDir, COPIES_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(next, null, 2));
  renameSync(tmp, file);
  return next;
}

/**
 * "Copier mes archives sur un disque externe" / `arche mirror --to DIR`: a second copy of the archive elsewhere.
 * - The database through SQLite's online backup API (better-sqlite3 `db.backup()`), in ONE step: one read transaction,
 *   so the copy is the archive as it was at one instant, even while a backup writes (WAL: the reader blocks nobody).
 *   It is written under a temp name and renamed, so a copy cut short leaves the previous second copy whole.
 * - Then the blob files that this snapshot points at and the copy does not have yet (only new content is copied;
 *   contents are addressed by hash, so a file of that name and size is that content — the check below proves it).
 * - Then the copy is checked like `arche check` (SQLite integrity, every message hashed); a file that fails is copied
 *   again once, and what still fails is reported. The original archive records when the last second copy was made.
 */
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { ArcheError } from '../../../shared/errors.std.ts';
import type { JobControl, ProgressEvent } from '../../../shared/events.std.ts';
import { openArchive } from '../archive/archive.node.ts';
import { blobPath, fsyncDirSync, isInline } from '../archive/blob-store.node.ts';
import { integrityOffThread } from '../archive/check-pool.node.ts';
import { integrityProblems, scanContents, storedTotals } from '../archive/content-scan.node.ts';
import { openDatabase } from '../archive/db.node.ts';
import { updateCopiesRecord } from './copies-record.node.ts';

const DB_FILE = 'arche.sqlite';

export interface MirrorSummary {
  to: string;
  contents: number;
  bytes: number;
  /** Blob files copied by this run (0 when nothing was new). */
  blobsCopied: number;
  bytesCopied: number;
  /** Messages of the copy that did not hash right even after a second copy (0 for a good copy). */
  damaged: number;
  integrity: string[];
  seconds: number;
}

function samePlace(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/** A folder a second copy may go into: absent, empty, or an Arche copy already. */
function checkDestination(from: string, to: string): void {
  if (samePlace(from, to) || path.resolve(to).startsWith(path.resolve(from) + path.sep)) throw new ArcheError('mirror-same-folder', { dir: from });
  if (!existsSync(to)) return;
  const entries = readdirSync(to);
  if (entries.length && !entries.includes(DB_FILE)) throw new ArcheError('mirror-not-archive', { dir: to });
}

/** Copy one file through a temp name, fsynced, then renamed (a USB disk pulled out mid-copy leaves no half file). */
function copyDurably(src: string, dest: string): void {
  mkdirSync(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.${process.pid}.tmp`;
  copyFileSync(src, tmp);
  const fd = openSync(tmp, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, dest);
  fsyncDirSync(path.dirname(dest));
}

function sizeOf(file: string): number | null {
  try {
    return statSync(file).size;
  } catch {
    return null;
  }
}

export async function mirrorArchive(opts: JobControl & { archiveDir: string; to: string }): Promise<MirrorSummary> {
  const from = opts.archiveDir;
  const to = path.resolve(opts.to);
  if (!existsSync(path.join(from, DB_FILE))) throw new ArcheError('check-no-archive', { dir: from });
  checkDestination(from, to);
  const started = Date.now();
  const emit = (e: Omit<ProgressEvent, 'job'>): void => opts.onProgress?.({ job: 'mirror', ...e });
  mkdirSync(to, { recursive: true });

  // 1. The database, one consistent snapshot.
  const source = openArchive(from);
  const tmpDb = path.join(to, `${DB_FILE}.${process.pid}.tmp`);
  try {
    emit({ phase: 'copy', done: 0, total: 0, bytesDone: 0, bytesTotal: 0 });
    rmSync(tmpDb, { force: true });
    await source.db.backup(tmpDb, { progress: () => 0x7fffffff });
  } finally {
    source.close();
  }
  // A stale journal of the previous copy must never be applied to the new database.
  for (const side of ['-wal', '-shm']) rmSync(path.join(to, DB_FILE + side), { force: true });
  renameSync(tmpDb, path.join(to, DB_FILE));
  fsyncDirSync(to);

  // 2. The blob files the snapshot points at, those the copy lacks.
  const copy = openDatabase(path.join(to, DB_FILE));
  let blobsCopied = 0;
  let bytesCopied = 0;
  try {
    const files = copy.prepare('SELECT sha256, storage, stored_size FROM contents WHERE storage NOT IN (0, 1, 4) ORDER BY id').all() as { sha256: Buffer; storage: number; stored_size: number | null }[];
    let done = 0;
    for (const f of files) {
      if (opts.signal?.aborted) throw new ArcheError('aborted', {});
      if (isInline(f.storage)) continue;
      const sha = f.sha256.toString('hex');
      const src = blobPath(from, sha);
      const dest = blobPath(to, sha);
      const want = f.stored_size ?? sizeOf(src);
      if (sizeOf(dest) === null || sizeOf(dest) !== want) {
        copyDurably(src, dest);
        blobsCopied++;
        bytesCopied += sizeOf(dest) ?? 0;
      }
      done++;
      emit({ phase: 'copy', done, total: files.length, bytesDone: bytesCopied, bytesTotal: bytesCopied });
    }

    // 3. The copy checked: every message hashed; a file that fails is copied once more, then judged.
    const totals = storedTotals(copy);
    emit({ phase: 'verify', done: 0, total: totals.contents, bytesDone: 0, bytesTotal: totals.bytes });
    const integrityBeside = integrityOffThread(path.join(to, DB_FILE), false);
    let checked = 0;
    let bytes = 0;
    const scan = await scanContents(copy, to, {
      signal: opts.signal,
      onContent: (_id, stored) => {
        checked++;
        bytes += stored;
        if (checked % 200 === 0) emit({ phase: 'verify', done: checked, total: totals.contents, bytesDone: bytes, bytesTotal: totals.bytes });
      },
    });
    if (scan.stopped) throw new ArcheError('aborted', {});
    const integrity = (await integrityBeside) ?? integrityProblems(copy);
    let damaged = 0;
    for (const d of scan.damaged) {
      const src = blobPath(from, d.sha256);
      if (sizeOf(src) === null) {
        damaged++;
        continue;
      }
      copyDurably(src, blobPath(to, d.sha256));
      blobsCopied++;
      const again = await scanContents(copy, to, { afterId: d.contentId - 1, untilId: d.contentId, threads: false });
      if (again.damaged.some((x) => x.contentId === d.contentId)) damaged++;
    }
    const summary: MirrorSummary = { to, contents: checked, bytes, blobsCopied, bytesCopied, damaged, integrity, seconds: (Date.now() - started) / 1000 };
    const ok = damaged === 0 && integrity.length === 0;
    // The copy knows it was checked; the original knows when its last second copy was made.
    updateCopiesRecord(to, (r) => ({ ...r, lastCheck: { at: Date.now(), ok, contents: checked, bytes, repaired: 0, named: damaged, integrityProblems: integrity.length } }));
    updateCopiesRecord(from, (r) => ({ ...r, lastMirror: { at: Date.now(), to, ok, blobsCopied, bytesCopied } }));
    emit({ phase: 'done', done: checked, total: checked, bytesDone: bytes, bytesTotal: bytes });
    return summary;
  } finally {
    copy.close();
  }
}

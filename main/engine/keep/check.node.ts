/**
 * "Vérifier mes copies" / `arche check`: the archive checks itself, and mends what it can.
 * 1. SQLite's integrity check (every page, index and row; `quick`: quick_check), on a worker thread beside step 2.
 * 2. Every stored message read back and hashed against its content address (archive/content-scan), streamed, with
 *    progress; a pause stops at a message and the next run resumes where it stopped (copies.json).
 * 3. A damaged message is fetched again from the server when the server still has it (a placement not marked gone,
 *    same UIDVALIDITY, same UID) and written back only if the bytes hash to the same address; otherwise it is named
 *    (subject, date, folder) with the reason — never silently dropped.
 * Monthly by schedule: the scheduler calls `checkArchive` like any job (kind 'check').
 * Never two at once on one archive: a lock file (work-locks.node.ts) shared by every process that may start one.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { FetchMessageObject, ImapFlow, MailboxObject } from 'imapflow';
import { ArcheError, type ArcheErrorData } from '../../../shared/errors.std.ts';
import type { JobControl, ProgressEvent } from '../../../shared/events.std.ts';
import type { AccountSpec } from '../../../shared/types.std.ts';
import { openArchive, type Archive } from '../archive/archive.node.ts';
import { tmpName } from '../archive/blob-store.node.ts';
import { integrityOffThread } from '../archive/check-pool.node.ts';
import { integrityProblems, scanContents, storedTotals, type ScannedDamage } from '../archive/content-scan.node.ts';
import { errorContext } from '../imap/connect.node.ts';
import { toArcheError } from '../imap/imap-errors.node.ts';
import { parseAccountUrl } from '../imap/account-url.std.ts';
import { updateCopiesRecord, readCopiesRecord } from './copies-record.node.ts';
import { downloadLarge } from './download-large.node.ts';
import { withReconnect } from './reconnect.node.ts';
import { LARGE_MESSAGE } from './backup.node.ts';
import { acquireCheckLock } from './work-locks.node.ts';

/** Why a damaged message could not be mended. */
export type NotMendedReason = 'not-on-server' | 'no-sign-in' | 'server-different' | 'server-error';

export interface NamedMessage {
  account: string;
  folder: string;
  subject: string;
  /** The message's Date header, else the date the server received it (ms), or null. */
  date: number | null;
  reason: NotMendedReason;
  /** The server error, in words (server-error only). */
  error?: ArcheErrorData;
}

export interface CheckSummary {
  /** SQLite's own findings (empty: the database is sound). */
  integrity: string[];
  contents: number;
  /** Contents in the archive (the check's whole length). */
  total: number;
  bytes: number;
  damaged: number;
  repaired: number;
  named: NamedMessage[];
  seconds: number;
  /** Paused before the end: the next check resumes where this one stopped. */
  paused: boolean;
}

export interface CheckOptions extends JobControl {
  archiveDir: string;
  /** Accounts Arche may sign in to, to fetch damaged messages again (with their passwords, for this run only). */
  accounts?: AccountSpec[];
  quick?: boolean;
}

interface Candidate {
  contentId: number;
  accountUrl: string;
  folderId: number;
  folderPath: string;
  /** The archive key (UIDVALIDITY + k·2³² after a renumbering) and the folder's current key. */
  key: number;
  folderKey: number | null;
  uid: number;
  gone: boolean;
  size: number;
}

const DB_FILE = 'arche.sqlite';

export async function checkArchive(opts: CheckOptions): Promise<CheckSummary> {
  if (!existsSync(path.join(opts.archiveDir, DB_FILE))) throw new ArcheError('check-no-archive', { dir: opts.archiveDir });
  // One check of an archive at a time, whoever started it (the CLI, the app, the monthly schedule): two would race
  // on copies.json's resume point and on mending the same messages.
  const lock = acquireCheckLock(opts.archiveDir);
  try {
    const archive = openArchive(opts.archiveDir);
    try {
      return await checkOpen(archive, opts);
    } finally {
      archive.close();
    }
  } finally {
    lock.release();
  }
}

async function checkOpen(archive: Archive, opts: CheckOptions): Promise<CheckSummary> {
  const started = Date.now();
  const emit = (e: Omit<ProgressEvent, 'job'>): void => opts.onProgress?.({ job: 'check', ...e });
  const totals = storedTotals(archive.db);
  // A paused check goes on from where it stopped, with what it had found.
  const resume = readCopiesRecord(archive.dir).checkResume;
  let done = resume?.contentsDone ?? 0;
  let bytes = resume?.bytesDone ?? 0;
  emit({ phase: 'verify', done, total: Math.max(done, totals.contents), bytesDone: bytes, bytesTotal: Math.max(bytes, totals.bytes) });
  // SQLite's integrity check reads the whole database: on a worker thread of its own, while the messages are hashed.
  const integrityBeside = integrityOffThread(path.join(archive.dir, DB_FILE), opts.quick ?? false);
  let lastEmit = 0;
  const scan = await scanContents(archive.db, archive.dir, {
    afterId: resume?.afterId ?? 0,
    signal: opts.signal,
    onContent: (_id, stored) => {
      done++;
      bytes += stored;
      const now = Date.now();
      // The first message, then at most four times a second: a screen sees it move without being flooded.
      if (lastEmit === 0 || now - lastEmit >= 250) {
        lastEmit = now;
        const secs = (now - started) / 1000;
        const rate = secs > 0.5 ? (done - (resume?.contentsDone ?? 0)) / secs : 0;
        emit({ phase: 'verify', done, total: Math.max(done, totals.contents), bytesDone: bytes, bytesTotal: Math.max(bytes, totals.bytes), ...(rate > 0 ? { ratePerSec: rate, etaSeconds: Math.round(Math.max(0, totals.contents - done) / rate) } : {}) });
      }
    },
  });
  // No worker could run it: run here, now that the scan no longer reads the database.
  const integrity = (await integrityBeside) ?? integrityProblems(archive.db, opts.quick);
  const damaged: ScannedDamage[] = [...(resume?.damaged ?? []), ...scan.damaged];
  if (scan.stopped) {
    updateCopiesRecord(archive.dir, (r) => ({ ...r, checkResume: { startedAt: resume?.startedAt ?? started, afterId: scan.lastId, damaged, contentsDone: done, bytesDone: bytes } }));
    return { integrity, contents: done, total: totals.contents, bytes, damaged: damaged.length, repaired: 0, named: [], seconds: (Date.now() - started) / 1000, paused: true };
  }
  // Said only when there is something to mend (the words are "fetching damaged messages again").
  if (damaged.length) emit({ phase: 'fetch', done, total: done, bytesDone: bytes, bytesTotal: bytes });
  const { repaired, named } = await mend(archive, damaged, opts);
  const summary: CheckSummary = { integrity, contents: done, total: Math.max(done, totals.contents), bytes, damaged: damaged.length, repaired, named, seconds: (Date.now() - started) / 1000, paused: false };
  updateCopiesRecord(archive.dir, (r) => {
    const next = { ...r, lastCheck: { at: Date.now(), ok: !integrity.length && !named.length, contents: done, bytes, repaired, named: named.length, integrityProblems: integrity.length } };
    delete next.checkResume;
    return next;
  });
  emit({ phase: 'done', done, total: done, bytesDone: bytes, bytesTotal: bytes });
  return summary;
}

function candidatesOf(archive: Archive, contentIds: number[]): Candidate[] {
  const q = archive.db.prepare(
    `SELECT p.content_id AS contentId, a.url AS accountUrl, f.id AS folderId, f.path AS folderPath, p.uidvalidity AS key,
            f.uidvalidity AS folderKey, p.uid, p.server_gone_at IS NOT NULL OR f.gone_at IS NOT NULL AS gone, c.size
     FROM placements p JOIN folders f ON f.id = p.folder_id JOIN accounts a ON a.id = f.account_id JOIN contents c ON c.id = p.content_id
     WHERE p.content_id = ? ORDER BY gone, a.url, f.path, p.uid`,
  );
  return contentIds.flatMap((id) => (q.all(id) as (Omit<Candidate, 'gone'> & { gone: number })[]).map((r) => ({ ...r, gone: r.gone === 1 })));
}

function nameOf(archive: Archive, c: Candidate, reason: NotMendedReason, error?: ArcheErrorData): NamedMessage {
  const m = archive.db.prepare('SELECT subject, date FROM meta WHERE content_id = ?').get(c.contentId) as { subject: string; date: number | null } | undefined;
  const p = archive.db.prepare('SELECT internal_date FROM placements WHERE content_id = ? AND folder_id = ? AND uid = ?').pluck().get(c.contentId, c.folderId, c.uid) as number | undefined;
  return { account: c.accountUrl, folder: c.folderPath, subject: m?.subject ?? '', date: m?.date ?? p ?? null, reason, ...(error ? { error } : {}) };
}

/** Fetches damaged messages again, folder by folder, from every account Arche may sign in to. */
async function mend(archive: Archive, damaged: ScannedDamage[], opts: CheckOptions): Promise<{ repaired: number; named: NamedMessage[] }> {
  if (!damaged.length) return { repaired: 0, named: [] };
  const candidates = candidatesOf(archive, damaged.map((d) => d.contentId));
  const mended = new Set<number>();
  /** Per content: the best reason seen so far for not mending it (a server error outranks "not there"). */
  const why = new Map<number, { c: Candidate; reason: NotMendedReason; error?: ArcheErrorData }>();
  const note = (c: Candidate, reason: NotMendedReason, error?: ArcheErrorData): void => {
    const rank: Record<NotMendedReason, number> = { 'not-on-server': 0, 'no-sign-in': 1, 'server-different': 2, 'server-error': 3 };
    const had = why.get(c.contentId);
    if (!had || rank[reason] > rank[had.reason]) why.set(c.contentId, { c, reason, ...(error ? { error } : {}) });
  };
  const specs = new Map((opts.accounts ?? []).map((s) => [parseAccountUrl(s.url).url, s]));
  const byAccount = new Map<string, Candidate[]>();
  for (const c of candidates) {
    if (c.gone || c.folderKey !== c.key) {
      note(c, 'not-on-server');
      continue;
    }
    byAccount.set(c.accountUrl, [...(byAccount.get(c.accountUrl) ?? []), c]);
  }
  for (const [url, list] of byAccount) {
    const spec = specs.get(url);
    if (!spec) {
      for (const c of list) note(c, 'no-sign-in');
      continue;
    }
    const session = withReconnect(spec, { ...errorContext(spec), dir: archive.dir }, { signal: opts.signal });
    try {
      await session.start();
      const folders = new Map<number, Candidate[]>();
      for (const c of list) folders.set(c.folderId, [...(folders.get(c.folderId) ?? []), c]);
      for (const group of folders.values()) {
        const todo = group.filter((c) => !mended.has(c.contentId));
        if (!todo.length) continue;
        await session.run((client) => mendFolder(client, archive, todo, mended, note));
      }
    } catch (e) {
      const err = toArcheError(e, errorContext(spec));
      if (err.code === 'aborted') throw err;
      for (const c of list) if (!mended.has(c.contentId)) note(c, 'server-error', err.toData());
    } finally {
      await session.end();
    }
  }
  const named = damaged
    .filter((d) => !mended.has(d.contentId))
    .map((d) => {
      const w = why.get(d.contentId);
      // A content with no placement at all (left by an interrupted import): named by its address.
      if (!w) return { account: '', folder: '', subject: d.sha256, date: null, reason: 'not-on-server' as const };
      return nameOf(archive, w.c, w.reason, w.error);
    });
  return { repaired: mended.size, named };
}

async function mendFolder(c: ImapFlow, archive: Archive, todo: Candidate[], mended: Set<number>, note: (c: Candidate, r: NotMendedReason) => void): Promise<void> {
  const lock = await c.getMailboxLock(todo[0].folderPath, { readOnly: true });
  try {
    const mb = c.mailbox as MailboxObject;
    // The archive key is UIDVALIDITY + k·2³²: the server's UIDVALIDITY must be its low part, or the UIDs name other messages.
    if (Number(mb.uidValidity) !== todo[0].key % 2 ** 32) {
      for (const x of todo) note(x, 'not-on-server');
      return;
    }
    // Collected first, acted on after: no other IMAP command while a FETCH is being read.
    const sizes = new Map<number, number>();
    for await (const m of c.fetch(todo.map((x) => x.uid).join(','), { uid: true, size: true }, { uid: true })) sizes.set(m.uid, m.size ?? 0);
    const small = todo.filter((x) => sizes.has(x.uid) && (sizes.get(x.uid) ?? 0) <= LARGE_MESSAGE);
    const sources = new Map<number, Buffer>();
    if (small.length) {
      for await (const m of c.fetch(small.map((x) => x.uid).join(','), { uid: true, source: true }, { uid: true }) as AsyncIterable<FetchMessageObject>) {
        if (m.source) sources.set(m.uid, m.source);
      }
    }
    for (const x of todo) {
      if (mended.has(x.contentId)) continue;
      const size = sizes.get(x.uid);
      if (size === undefined) {
        note(x, 'not-on-server');
        continue;
      }
      let ok = false;
      if (size <= LARGE_MESSAGE) {
        const raw = sources.get(x.uid);
        ok = raw !== undefined && archive.repairContent(x.contentId, raw);
      } else {
        const file = tmpName(archive.dir);
        mkdirSync(path.dirname(file), { recursive: true });
        try {
          if ((await downloadLarge(c, x.uid, size, file)) === 'whole') ok = archive.repairContent(x.contentId, { file: (await archive.prepareLargeMessage(file)).file });
        } finally {
          rmSync(file, { force: true });
        }
      }
      if (ok) mended.add(x.contentId);
      else note(x, 'server-different');
    }
  } finally {
    lock.release();
  }
}

/**
 * `backup`: a complete, exact, append-only copy of a mail account in the archive.
 *
 * Why it cannot lose or duplicate anything when killed at any instant: every batch of messages is committed in ONE
 * transaction together with the folder cursor (UIDVALIDITY + next UID) that says it is done; the next run starts
 * from that cursor, and the archive ignores a placement it already has.
 * Why memory stays bounded: UIDs are fetched in bounded batches (count and bytes); a message above LARGE_MESSAGE
 * bytes is streamed to a temporary file and handed to the archive as a file.
 * Append-only: what the server no longer has is only marked gone; a renumbered folder, a vanished folder or a folder
 * that lost many messages raises the alarm (the run still completes and keeps everything).
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { FetchMessageObject, ImapFlow, MailboxObject } from 'imapflow';
import { ArcheError, type ArcheErrorData } from '../../../shared/errors.std.ts';
import type { JobControl, JobPhase } from '../../../shared/events.std.ts';
import type { AccountSpec } from '../../../shared/types.std.ts';
import type { ArchiveApi, FolderRow, IncomingMessage, UnreadableEntry } from '../archive/archive.types.std.ts';
import { downloadLarge } from './download-large.node.ts';
import { openArchive } from '../archive/archive.node.ts';
import { tmpName } from '../archive/blob-store.node.ts';
import { prepareBytes } from '../archive/prepare-bytes.node.ts';
import { parseAccountUrl } from '../imap/account-url.std.ts';
import { errorContext, type ConnectOptions } from '../imap/connect.node.ts';
import { listServerFolders, type ServerFolder } from '../imap/folders.node.ts';
import { isDiskFull, toArcheError } from '../imap/imap-errors.node.ts';
import { allUids, uidsFrom } from '../imap/uids.node.ts';
import { canonicalFlag } from '../imap/attributes.std.ts';
import { acquireBackupLock } from './work-locks.node.ts';
import { withReconnect } from './reconnect.node.ts';
import { createParsePool, type Parsed, type ParsePool } from './parse-pool.node.ts';

/** Above this size (RFC822.SIZE) a message is streamed to a file rather than held in memory. */
export const LARGE_MESSAGE = 2 * 1024 * 1024;
/**
 * One batch (= one transaction): at most this many messages and this many bytes of small messages. Up to three
 * batches are in memory at once (one fetched, one in the parse worker, one being stored), each with the copies made
 * for the worker and the compressed bytes it sends back: the bytes bound memory, so 4 MB, not 8 (peak RSS was at the
 * 300 MB limit on both bench corpora; CPU time within the noise at 4 MB on 2,000 messages of each).
 */
const BATCH_MESSAGES = 200;
const BATCH_BYTES = 4 * 1024 * 1024;
/** UIDs whose metadata is asked for at once. */
const META_CHUNK = 1000;
/** The alarm's threshold for a folder that lost messages since the last run: both must hold. */
const MASS_LOSS_COUNT = 20;
const MASS_LOSS_SHARE = 0.2;
/** After this many backups that asked for a message in vain, the summary says it may never come (it is still asked). */
export const UNREADABLE_TRIES = 3;
/** The largest UID (and so UIDNEXT - 1) IMAP allows: a 32-bit unsigned number. */
const UID_MAX = 4294967295;
/**
 * A folder renumbered WITHOUT a new UIDVALIDITY (its UIDNEXT went back below Arche's cursor) gets a new key in the
 * archive: the server's UIDVALIDITY plus a multiple of 2^32, so old and new UIDs never collide; the messages still
 * there come back under their new UIDs and are matched by content (stored once).
 */
const EPOCH = 2 ** 32;

export type AlarmKind = 'uidvalidity-changed' | 'uidnext-went-back' | 'folder-gone' | 'mass-loss';

export interface BackupAlarm {
  kind: AlarmKind;
  folder: string;
  /** Messages the server no longer has, that the archive keeps. */
  missing: number;
}

export interface BackupSummary {
  /** Canonical account address (the archive's key). */
  account: string;
  /** Folders on the server. */
  folders: number;
  /** Messages archived for this account: distinct (folder, message) pairs, gone ones included. */
  messages: number;
  /** Placements added by this run. */
  new: number;
  /** Bytes of messages stored for the first time by this run. */
  bytesNew: number;
  /** Archived messages of this account that the server no longer has. */
  serverMissing: number;
  /** When Arche first saw one of them gone (ms), null when none is missing. */
  missingSince: number | null;
  /** Messages the server lists but never handed over whole: named, with how many backups asked for them. */
  unreadable: UnreadableReport[];
  /** Stored messages whose file on disk was damaged, fetched again and repaired by this run. */
  repaired: number;
  /** Attachments of this account's messages whose text could not be read for search (issue 14): counted, never hidden. */
  attachmentsUnreadable: number;
  /** Alarms raised by this run (exit code 4 in the CLI). */
  alarms: BackupAlarm[];
}

export interface UnreadableReport {
  folder: string;
  uid: number;
  subject: string | null;
  /** The message's date, ms (null when not known). */
  date: number | null;
  tries: number;
  reason: 'no-body' | 'size-mismatch';
}

export interface BackupOptions extends JobControl {
  connectOptions?: ConnectOptions;
  /** Waits between reconnection attempts, ms (the last one repeats). */
  retryDelaysMs?: number[];
  /** How many reconnections in a row before giving up. */
  maxRetries?: number;
  /** The wait when the provider asks to slow down (tests record it instead of sleeping; reconnect.node.ts). */
  throttleWait?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Index the new messages for search at the end (default true). */
  index?: boolean;
  /**
   * Read the text inside queued attachments at the end, after the copy is safe (default true). false: left queued
   * for the next backup or `arche attachments` (the bench measures the two apart).
   */
  attachmentText?: boolean;
  /** Messages per batch (= per transaction); tests lower it to get many commit points. */
  batchMessages?: number;
  /**
   * Parse workers that index while fetching (default 1). 0: the archive indexes after the fetch (indexPending), in
   * this thread. Measured through the CLI on the 2-core machine (loaded by other work), 8,000 messages / 205 MB:
   * 1 worker 8.2 s, 292 MB peak RSS; no worker 12.3 s, 241 MB; with 3,000 messages 2 workers were slower than 1.
   */
  parseWorkers?: number;
  /**
   * Only these folders (server paths; the user's choice on the Folders screen). Default: every folder.
   * The others are neither fetched nor judged: a folder left out is never marked gone and raises no alarm.
   */
  folders?: string[];
}

/** Opens the archive directory, backs up, closes. */
export async function backup(spec: AccountSpec, opts: BackupOptions & { archiveDir: string }): Promise<BackupSummary> {
  let archive: ArchiveApi;
  try {
    archive = openArchive(opts.archiveDir);
  } catch (e) {
    if (isDiskFull(e)) throw new ArcheError('disk-full', { dir: opts.archiveDir }, { cause: e });
    throw e;
  }
  try {
    return await backupInto(archive, spec, opts);
  } finally {
    archive.close();
  }
}

interface RunState {
  archive: ArchiveApi;
  /** Parses messages for search in worker threads while fetching goes on (null: indexed after the backup). */
  parser: ParsePool | null;
  control: BackupOptions;
  alarms: BackupAlarm[];
  added: number;
  bytesNew: number;
  done: number;
  total: number;
  bytesDone: number;
  started: number;
  now: number;
  /** Stored contents whose blob file cannot be trusted: fetched again from any folder that still has them. */
  damaged: Map<number, string>;
  repaired: number;
  /** Big messages being fetched in ranges: their temp files, kept across reconnections to resume at the offset. */
  partials: Map<string, string>;
  /** Bytes received from the server: a run that keeps receiving never gives up reconnecting. */
  fetched: number;
}

function progress(s: RunState, phase: JobPhase, folder?: string, folderDone?: number, folderTotal?: number, notice?: ArcheErrorData): void {
  if (!s.control.onProgress) return;
  const elapsed = (Date.now() - s.started) / 1000;
  const ratePerSec = elapsed > 0.5 && s.done > 0 ? s.done / elapsed : undefined;
  s.control.onProgress({
    job: 'backup',
    phase,
    ...(folder !== undefined ? { folder } : {}),
    ...(folderDone !== undefined ? { folderDone, folderTotal } : {}),
    done: s.done,
    total: Math.max(s.total, s.done),
    bytesDone: s.bytesDone,
    bytesTotal: s.bytesDone,
    ...(ratePerSec ? { ratePerSec, etaSeconds: Math.max(0, Math.round((s.total - s.done) / ratePerSec)) } : {}),
    ...(notice ? { notice } : {}),
  });
}

function checkAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new ArcheError('aborted', {});
}

/** Backs up one account into an open archive. The Move engine calls this before a migration. */
export async function backupInto(archive: ArchiveApi, spec: AccountSpec, control: BackupOptions = {}): Promise<BackupSummary> {
  const addr = parseAccountUrl(spec.url);
  const ctx = { ...errorContext(spec), dir: archive.dir };
  const lock = acquireBackupLock(archive.dir, addr.url);
  const s: RunState = { archive, parser: (control.parseWorkers ?? 1) > 0 ? createParsePool(control.parseWorkers ?? 1) : null, control, alarms: [], added: 0, bytesNew: 0, done: 0, total: 0, bytesDone: 0, started: Date.now(), now: Date.now(), damaged: new Map(), repaired: 0, partials: new Map(), fetched: 0 };
  let accountId: number | null = null;
  const session = withReconnect(spec, ctx, {
    connectOptions: control.connectOptions,
    retryDelaysMs: control.retryDelaysMs,
    maxRetries: control.maxRetries,
    ...(control.throttleWait ? { throttleWait: control.throttleWait } : {}),
    signal: control.signal,
    onNotice: (n) => progress(s, 'fetch', undefined, undefined, undefined, n),
    progress: () => s.fetched,
  });
  try {
    progress(s, 'connect');
    await session.start();
    accountId = archive.ensureAccount(addr.url).id;
    // A blob file truncated or lost after its message was committed: found here (a stat per file), fetched again below.
    for (const d of await archive.damagedContents(accountId)) s.damaged.set(d.contentId, d.sha256);
    const chosen = control.folders ? new Set(control.folders) : null;
    const inScope = (folderPath: string): boolean => !chosen || chosen.has(folderPath);
    const listed = await session.run((c) => listServerFolders(c));
    const onServer = new Set(listed.map((f) => f.path));
    const serverFolders = listed.filter((f) => inScope(f.path));
    progress(s, 'list');
    const known = new Map(archive.listFolders(accountId).map((f) => [f.path, f]));

    // Folders the server no longer has: keep everything, mark, raise the alarm when they held messages.
    // Only among the folders looked at: a folder the user left out says nothing about what the server lost.
    for (const row of known.values()) {
      if (onServer.has(row.path) || row.goneAt !== null || !inScope(row.path)) continue;
      const uids = row.uidvalidity !== null ? archive.knownUids(row.id, row.uidvalidity) : [];
      if (row.uidvalidity !== null && uids.length) archive.markGone(row.id, row.uidvalidity, uids, s.now);
      archive.markFolderGone(row.id, s.now);
      if (uids.length) raiseAlarm(s, accountId, 'folder-gone', row.path, uids.length);
    }

    const rows = new Map<string, FolderRow>();
    for (const f of serverFolders) rows.set(f.path, archive.upsertFolder(accountId, { path: f.path, delimiter: f.delimiter, specialUse: f.specialUse }));

    // A folder the server refuses to open (permissions, a broken mailbox) does not stop the others from being kept.
    const refused: { folder: string; error: ArcheError }[] = [];
    for (const f of serverFolders) {
      if (!f.selectable) continue;
      checkAborted(control.signal);
      try {
        // On a dropped connection the folder starts again from its committed cursor: nothing twice, nothing skipped.
        await session.run(async (c) => {
          const row = archive.listFolders(accountId!).find((r) => r.id === rows.get(f.path)!.id)!;
          await syncFolder(c, s, accountId!, f, row);
        });
      } catch (e) {
        const err = toArcheError(e, ctx);
        if (err.code !== 'server-refused' && err.code !== 'backup-server-nonsense') throw err;
        refused.push({ folder: f.path, error: err });
        const notice = err.code === 'backup-server-nonsense' ? err.toData() : { code: 'backup-folder-refused' as const, fields: { folder: f.path, detail: String(err.fields.detail ?? '') } };
        progress(s, 'fetch', f.path, undefined, undefined, notice);
      }
    }

    if (control.index !== false && archive.pendingIndexCount() > 0) {
      const pending = archive.pendingIndexCount();
      progress(s, 'index', undefined, 0, pending);
      await archive.indexPending({ signal: control.signal, onIndexed: (d, t) => progress(s, 'index', undefined, d, t) });
      checkAborted(control.signal);
    }
    // Entries left by an older version (migration 007) are made again after the copy is safe, in this job's
    // worker (never the window's thread); search answers from the older entries meanwhile. Stopping keeps the rest
    // for the next backup.
    if (control.index !== false && archive.reindexCount() > 0) {
      progress(s, 'index', undefined, 0, archive.reindexCount());
      await archive.reindexText({ signal: control.signal, onIndexed: (d, t) => progress(s, 'index', undefined, d, t) });
      checkAborted(control.signal);
    }
    // Conversations of messages stored before migration 009: header blocks only, after the copy is safe.
    if (control.index !== false && archive.threadBackfillCount() > 0) {
      progress(s, 'index', undefined, 0, archive.threadBackfillCount());
      await archive.backfillThreads({ signal: control.signal, onLinked: (d, t) => progress(s, 'index', undefined, d, t) });
      checkAborted(control.signal);
    }
    // The text inside attachments, last: after the copy is safe and its search data written, in a worker thread
    // with a time and heap limit per attachment (attachment-drain.node.ts). Stopping keeps the rest queued.
    if (control.index !== false && control.attachmentText !== false && archive.attachmentQueueCount() > 0) {
      progress(s, 'index', undefined, 0, archive.attachmentQueueCount());
      await archive.indexAttachments({ signal: control.signal, onProgress: (d, t) => progress(s, 'index', undefined, d, t) });
      checkAborted(control.signal);
    }
    if (refused.length) {
      throw new ArcheError('backup-folders-refused', { folders: refused.map((r) => r.folder).join(', '), count: refused.length, detail: String(refused[0].error.fields.detail ?? '') });
    }
    archive.setBackupStatus(accountId, s.alarms.length ? 'alarm' : 'ok', Date.now());
    const counts = archive.accountCounts(accountId);
    const unreadable = archive
      .unreadable({ accountId })
      .filter((u) => inScope(u.folderPath))
      .map((u) => ({ folder: u.folderPath, uid: u.uid, subject: u.subject, date: u.date, tries: u.tries, reason: u.reason }));
    progress(s, 'done');
    return {
      account: addr.url,
      folders: serverFolders.filter((f) => f.selectable).length,
      messages: counts.messages,
      new: s.added,
      bytesNew: s.bytesNew,
      serverMissing: counts.missing,
      missingSince: counts.missingSince,
      unreadable,
      repaired: s.repaired,
      attachmentsUnreadable: archive.unreadableAttachments(accountId),
      alarms: s.alarms,
    };
  } catch (e) {
    const err = toArcheError(e, ctx);
    if (accountId !== null && err.code !== 'aborted' && err.code !== 'disk-full') {
      try {
        archive.setBackupStatus(accountId, 'failed', Date.now());
      } catch {
        /* the archive itself may be what failed */
      }
    }
    throw err;
  } finally {
    for (const file of s.partials.values()) rmSync(file, { force: true });
    await session.end();
    await s.parser?.close();
    lock.release();
  }
}

function raiseAlarm(s: RunState, accountId: number, kind: AlarmKind, folder: string, missing: number): void {
  s.archive.addAlarm({ accountId, folderPath: folder, kind, missing, createdAt: s.now });
  s.alarms.push({ kind, folder, missing });
}

function flagsOf(m: FetchMessageObject): string[] {
  // Flags are case-insensitive (RFC 3501 §2.3.2): stored in one spelling.
  return [...(m.flags ?? new Set<string>())].map(canonicalFlag).filter((f) => f !== '\\Recent');
}

async function syncFolder(c: ImapFlow, s: RunState, accountId: number, f: ServerFolder, row: FolderRow): Promise<void> {
  const { archive } = s;
  const lock = await c.getMailboxLock(f.path, { readOnly: true });
  try {
    const mb = c.mailbox as MailboxObject;
    const uv = Number(mb.uidValidity);
    const uidNext = mb.uidNext;
    const exists = mb.exists;
    const serverModseq = mb.highestModseq !== undefined && !mb.noModseq ? mb.highestModseq : undefined;
    // A server that answers nonsense is not believed: said in plain words, the other folders go on.
    if (uidNext !== undefined && (!Number.isSafeInteger(uidNext) || uidNext < 1 || uidNext > UID_MAX + 1)) {
      throw new ArcheError('backup-server-nonsense', { folder: f.path, detail: `UIDNEXT ${uidNext}` });
    }
    let cursorUid = 1;
    // The archive's key for this folder's numbering: the server's UIDVALIDITY, plus EPOCH for each renumbering the
    // server made without changing it.
    const sameNumbering = row.uidvalidity !== null && row.uidvalidity % EPOCH === uv;
    let kv = sameNumbering ? row.uidvalidity! : uv;
    const wentBack = sameNumbering && uidNext !== undefined && row.uidnext !== null && uidNext < row.uidnext;

    if (row.uidvalidity !== null && (!sameNumbering || wentBack)) {
      // Renumbered: the old UIDs mean nothing any more. Keep them all (marked gone); the messages still there come
      // back under their new UIDs and are matched by content (stored once).
      // A UIDNEXT below the cursor with the same UIDVALIDITY is a renumbering too (a server that lies, or restored
      // from a backup), never "nothing new": believing it would skip every message up to the old cursor.
      // An empty folder renumbered loses nothing: no alarm for it.
      const old = archive.knownUids(row.id, row.uidvalidity);
      if (wentBack) kv = row.uidvalidity + EPOCH;
      if (old.length) {
        archive.markGone(row.id, row.uidvalidity, old, s.now);
        raiseAlarm(s, accountId, wentBack ? 'uidnext-went-back' : 'uidvalidity-changed', f.path, Math.max(0, old.length - exists));
      }
      // Reset the cursor in the archive first: a kill after this point resumes with the new numbering.
      archive.addMessages([], { folderId: row.id, uidvalidity: kv, uidnext: 1, highestModseq: null });
    } else if (row.uidvalidity !== null) {
      cursorUid = row.uidnext ?? 1;
      // Both checks may need every UID of the folder: asked of the server once, and only if one of them needs it.
      let asked: Promise<Set<number>> | null = null;
      const serverUids = (): Promise<Set<number>> => (asked ??= allUids(c, exists).then((l) => new Set(l.uids)));
      await reviveReturned(s, row, kv, exists, serverUids);
      await checkGone(s, accountId, f, row, kv, exists, uidNext, serverUids);
      await syncFlags(c, s, row, kv, cursorUid, serverModseq);
      await retryUnreadable(c, s, row.id, kv);
      await repairDamaged(c, s, row.id, kv);
    }

    // After a UIDNEXT that went back, that UIDNEXT is not believed as a limit: everything the folder has is looked at.
    const limit = wentBack ? undefined : uidNext;
    let highest = 0;
    // Whether every message EXISTS counts was listed: if not, the cursor stays where it was (see uids.node.ts).
    let complete = true;
    if (exists > 0 && (limit === undefined || limit > cursorUid)) {
      const below = cursorUid > 1 ? archive.knownUids(row.id, kv).filter((u) => u < cursorUid).length : 0;
      const listed = await uidsFrom(c, cursorUid, limit, exists, below);
      const uids = listed.uids;
      complete = listed.complete;
      if (!complete) {
        progress(s, 'fetch', f.path, undefined, undefined, { code: 'backup-uids-unlisted', fields: { folder: f.path, count: exists - below - uids.length, exists } });
      }
      highest = uids.length ? uids[uids.length - 1] : 0;
      s.total += uids.length;
      let folderDone = 0;
      progress(s, 'fetch', f.path, 0, uids.length);
      for (let i = 0; i < uids.length; i += META_CHUNK) {
        const chunk = uids.slice(i, i + META_CHUNK);
        const meta: FetchMessageObject[] = [];
        for await (const m of c.fetch(chunk.join(','), { uid: true, size: true, flags: true, internalDate: true }, { uid: true })) meta.push(m);
        meta.sort((a, b) => a.uid - b.uid);
        // The cursor after this chunk: past its last UID (unmoved when the server did not list every message: what
        // was stored is kept, the next run asks again from the same place). A UID the server listed but did not describe is asked
        // about (UID SEARCH) before the cursor passes it: recorded as unreadable when the server still has it.
        const chunkEnd = complete ? chunk[chunk.length - 1] + 1 : cursorUid;
        const described = new Set(meta.map((m) => m.uid));
        const undescribed = chunk.filter((u) => !described.has(u));
        const lost = undescribed.length ? await stillThere(c, undescribed) : [];
        const lostEntries = lost.length ? await describeUnread(c, row.id, kv, lost.map((uid) => ({ uid, reason: 'no-body' as const }))) : [];
        await fetchAndCommit(c, s, row.id, kv, meta, chunkEnd, (n) => {
          folderDone += n;
          progress(s, 'fetch', f.path, folderDone, uids.length);
        });
        if (!meta.length || lostEntries.length) archive.addMessages([], { folderId: row.id, uidvalidity: kv, uidnext: chunkEnd }, lostEntries);
      }
    }
    // Folder done: the cursor now covers everything the server had when the folder was opened.
    archive.addMessages([], {
      folderId: row.id,
      uidvalidity: kv,
      ...(uidNext && complete ? { uidnext: Math.max(limit ?? 0, highest + 1, cursorUid) } : {}),
      highestModseq: serverModseq !== undefined ? serverModseq.toString() : null,
      serverCount: exists,
    });
  } finally {
    lock.release();
  }
}

/** Of these UIDs, those the server still has (UID SEARCH UID ...). */
async function stillThere(c: ImapFlow, uids: number[]): Promise<number[]> {
  if (!uids.length) return [];
  const found = await c.search({ uid: uids.join(',') }, { uid: true });
  const set = new Set(found || []);
  return uids.filter((u) => set.has(u));
}

/** Subject and date of messages that could not be read, so that the user can be told which ones (ENVELOPE only). */
async function describeUnread(c: ImapFlow, folderId: number, kv: number, items: { uid: number; reason: UnreadableEntry['reason']; size?: number }[]): Promise<UnreadableEntry[]> {
  const env = new Map<number, { subject: string | null; date: number | null; size: number | null }>();
  try {
    for await (const m of c.fetch(items.map((i) => i.uid).join(','), { uid: true, envelope: true, internalDate: true, size: true }, { uid: true })) {
      const d = m.envelope?.date ?? m.internalDate;
      env.set(m.uid, { subject: m.envelope?.subject ?? null, date: d ? new Date(d).getTime() : null, size: m.size ?? null });
    }
  } catch (e) {
    // The names are a courtesy: a server that refuses ENVELOPE still gets its messages recorded (without names).
    if (!c.usable) throw e;
  }
  return items.map((i) => ({ folderId, uidvalidity: kv, uid: i.uid, reason: i.reason, subject: env.get(i.uid)?.subject ?? null, date: env.get(i.uid)?.date ?? null, size: i.size ?? env.get(i.uid)?.size ?? null }));
}

/**
 * Messages recorded as unreadable by earlier runs: asked for again. Stored when they come whole; forgotten when the
 * server no longer has them; otherwise their count of tries goes up (the summary names them).
 */
async function retryUnreadable(c: ImapFlow, s: RunState, folderId: number, kv: number): Promise<void> {
  const pending = s.archive.unreadable({ folderId, uidvalidity: kv });
  if (!pending.length) return;
  const uids = pending.map((p) => p.uid);
  const meta: FetchMessageObject[] = [];
  for await (const m of c.fetch(uids.join(','), { uid: true, size: true, flags: true, internalDate: true }, { uid: true })) meta.push(m);
  const there = new Set(await stillThere(c, uids));
  const gone = uids.filter((u) => !there.has(u));
  if (gone.length) s.archive.forgetUnreadable(folderId, kv, gone);
  const described = new Set(meta.map((m) => m.uid));
  const undescribed = uids.filter((u) => there.has(u) && !described.has(u)).map((uid) => ({ uid, reason: 'no-body' as const }));
  const early = new Map<Buffer, Promise<Parsed | null>>();
  const { incoming, entries } = await fetchWhole(c, s, folderId, kv, meta.filter((m) => there.has(m.uid)), early);
  const more = undescribed.length ? await describeUnread(c, folderId, kv, undescribed) : [];
  await parseBatch(s, incoming, early);
  const res = s.archive.addMessages(incoming, undefined, [...entries, ...more]);
  s.added += res.placementsAdded;
  s.bytesNew += res.bytesAdded;
}

/** Damaged blob files whose message this folder still has: fetched again and written back (same hash only). */
async function repairDamaged(c: ImapFlow, s: RunState, folderId: number, kv: number): Promise<void> {
  if (!s.damaged.size) return;
  const wanted = new Map<number, number>();
  for (const p of s.archive.placements({ folderId })) {
    if (p.uidvalidity === kv && p.serverGoneAt === null && s.damaged.has(p.contentId) && !wanted.has(p.contentId)) wanted.set(p.contentId, p.uid);
  }
  if (!wanted.size) return;
  const meta: FetchMessageObject[] = [];
  for await (const m of c.fetch([...wanted.values()].join(','), { uid: true, size: true, flags: true, internalDate: true }, { uid: true })) meta.push(m);
  const { incoming } = await fetchWhole(c, s, folderId, kv, meta);
  for (const m of incoming) {
    const contentId = [...wanted].find(([, uid]) => uid === m.uid)?.[0];
    if (contentId === undefined) continue;
    if (s.archive.repairContent(contentId, m.raw)) {
      s.damaged.delete(contentId);
      s.repaired++;
    }
  }
}

/**
 * Fetches one chunk's messages batch by batch. Batch N is parsed (in workers, when there are any) and committed while
 * batch N+1 is being fetched; commits stay in UID order, each in one transaction with the cursor that marks it done.
 */
async function fetchAndCommit(c: ImapFlow, s: RunState, folderId: number, uv: number, meta: FetchMessageObject[], chunkEnd: number, onCommitted: (messages: number) => void): Promise<void> {
  let committing: Promise<void> = Promise.resolve();
  // The commit of the batch before the previous one.
  let older: Promise<void> = Promise.resolve();
  try {
    for (const batch of batches(meta, s.control.batchMessages ?? BATCH_MESSAGES)) {
      checkAborted(s.control.signal);
      // Backpressure: at most one batch parsed/committed behind the one being fetched. Without this wait, a fetch
      // faster than parsing piles every batch of the chunk (sources, their copies for the workers, the parsed text)
      // in memory: measured 370 MB peak RSS at 5,000 messages, growing with the mailbox.
      await older;
      const isLastOfChunk = batch[batch.length - 1] === meta[meta.length - 1];
      // A chunkEnd at or below the batch's first UID is the unmoved cursor of an incompletely listed folder: kept.
      const cursor = { folderId, uidvalidity: uv, uidnext: isLastOfChunk || chunkEnd <= batch[0].uid ? chunkEnd : batch[batch.length - 1].uid + 1 };
      // Each message goes to the parse worker as soon as it arrives, not when the whole batch has: the worker used
      // to wait for every batch's fetch, idle about a third of the time (profiled, docs/benchmarks.md).
      const early = new Map<Buffer, Promise<Parsed | null>>();
      const { incoming, entries } = await fetchWhole(c, s, folderId, uv, batch, early);
      const parsed = parseBatch(s, incoming, early);
      const previous = committing;
      older = previous;
      committing = (async () => {
        await previous;
        await prepareWhileParsing(s, incoming, early, parsed);
        await parsed;
        await s.archive.stageBlobs(incoming);
        const res = s.archive.addMessages(incoming, cursor, entries);
        s.added += res.placementsAdded;
        s.bytesNew += res.bytesAdded;
        s.done += batch.length;
        s.bytesDone += batch.reduce((n, m) => n + (m.size ?? 0), 0);
        onCommitted(batch.length);
      })();
      // Awaited at the next batch or below; this only keeps a failure from counting as unhandled meanwhile.
      committing.catch(() => undefined);
    }
  } catch (e) {
    // Stopping (abort, dropped connection): let the batch being committed finish first, then report.
    await committing.catch(() => undefined);
    throw e;
  }
  await committing;
}

/** Split fetched metadata into batches bounded by count and bytes (large messages travel as files, not counted). */
function* batches(meta: FetchMessageObject[], maxCount: number): Generator<FetchMessageObject[]> {
  let cur: FetchMessageObject[] = [];
  let bytes = 0;
  for (const m of meta) {
    const size = m.size ?? 0;
    const small = size <= LARGE_MESSAGE;
    if (cur.length && (cur.length >= maxCount || (small && bytes + size > BATCH_BYTES))) {
      yield cur;
      cur = [];
      bytes = 0;
    }
    cur.push(m);
    if (small) bytes += size;
  }
  if (cur.length) yield cur;
}

/**
 * Fetches a batch; what does not come whole (no body, or not the RFC822.SIZE announced) is asked for once more, then
 * asked about (UID SEARCH): still on the server, it is recorded as unreadable with the cursor that passes it; gone, it
 * was expunged in between and there is nothing to keep. Never stored short.
 */
async function fetchWhole(c: ImapFlow, s: RunState, folderId: number, kv: number, batch: FetchMessageObject[], early?: Map<Buffer, Promise<Parsed | null>>): Promise<{ incoming: IncomingMessage[]; entries: UnreadableEntry[] }> {
  const first = await fetchBatch(c, s, folderId, kv, batch, early);
  if (!first.unread.length) return { incoming: first.incoming, entries: [] };
  const again = await fetchBatch(c, s, folderId, kv, first.unread.map((u) => u.m), early);
  const there = new Set(await stillThere(c, again.unread.map((u) => u.m.uid)));
  const still = again.unread.filter((u) => there.has(u.m.uid));
  const entries = still.length ? await describeUnread(c, folderId, kv, still.map((u) => ({ uid: u.m.uid, reason: u.reason, size: u.m.size }))) : [];
  const incoming = [...first.incoming, ...again.incoming].sort((a, b) => a.uid - b.uid);
  return { incoming, entries };
}

interface Unread {
  m: FetchMessageObject;
  reason: UnreadableEntry['reason'];
}

/**
 * `early`, when given, receives each whole in-memory message's parse as soon as the message arrives: the parse worker
 * works while the rest of the batch is fetched.
 */
async function fetchBatch(c: ImapFlow, s: RunState, folderId: number, uv: number, batch: FetchMessageObject[], early?: Map<Buffer, Promise<Parsed | null>>): Promise<{ incoming: IncomingMessage[]; unread: Unread[] }> {
  const small = batch.filter((m) => (m.size ?? 0) <= LARGE_MESSAGE);
  const sources = new Map<number, Buffer>();
  if (small.length) {
    const announced = new Map(small.map((m) => [m.uid, m.size]));
    // Collected first, acted on after: no other IMAP command runs while a FETCH is being read.
    for await (const m of c.fetch(small.map((m) => m.uid).join(','), { uid: true, source: true }, { uid: true })) {
      if (m.source) {
        sources.set(m.uid, m.source);
        s.fetched += m.source.length;
        // Only a message that came whole: one that did not is fetched again (and parsed then).
        const size = announced.get(m.uid);
        if (early && s.parser && (size === undefined || size === m.source.length)) early.set(m.source, s.parser.parse(m.source));
      }
    }
  }
  const out: IncomingMessage[] = [];
  const unread: Unread[] = [];
  for (const m of batch) {
    const base = { folderId, uidvalidity: uv, uid: m.uid, flags: flagsOf(m), internalDate: new Date(m.internalDate ?? Date.now()).getTime(), modseq: m.modseq !== undefined ? m.modseq.toString() : null };
    if ((m.size ?? 0) <= LARGE_MESSAGE) {
      const raw = sources.get(m.uid);
      // No body: expunged in between, or a server that left it out. The caller asks the server which.
      if (!raw) unread.push({ m, reason: 'no-body' });
      else if (m.size !== undefined && raw.length !== m.size) unread.push({ m, reason: 'size-mismatch' });
      else out.push({ ...base, raw });
      continue;
    }
    // Resumed after a dropped connection: the ranges already written stay in their temp file.
    const key = `${folderId}/${uv}/${m.uid}`;
    let file = s.partials.get(key);
    if (!file) {
      file = tmpName(s.archive.dir);
      mkdirSync(path.dirname(file), { recursive: true });
      s.partials.set(key, file);
    }
    const got = await downloadLarge(c, m.uid, m.size ?? 0, file, { onBytes: (n) => (s.fetched += n) });
    s.partials.delete(key);
    if (got !== 'whole') {
      rmSync(file, { force: true });
      unread.push({ m, reason: got });
      continue;
    }
    const prepared = await s.archive.prepareLargeMessage(file);
    out.push({ ...base, raw: prepared });
  }
  return { incoming: out, unread };
}

/**
 * Search metadata, hashes and brotli encoding of the batch's in-memory messages, made in the workers (large ones were
 * prepared while streamed to their file).
 */
async function parseBatch(s: RunState, incoming: IncomingMessage[], early: Map<Buffer, Promise<Parsed | null>>): Promise<void> {
  const parser = s.parser;
  if (!parser) return;
  await Promise.all(
    incoming.map(async (m) => {
      if (!Buffer.isBuffer(m.raw)) return;
      const parsed = await (early.get(m.raw) ?? parser.parse(m.raw));
      if (parsed?.meta) m.meta = parsed.meta;
      if (parsed?.prepared) m.prepared = parsed.prepared;
    }),
  );
}

/**
 * The storing thread, once it has committed everything before this batch, would only wait for the batch's parse: it
 * hashes and compresses the batch's messages the worker has not reached yet itself, last first (the worker takes
 * them in order), until the worker meets it or the parse is back. The work moves to whichever thread is free at the
 * time: on attachment-heavy mail the worker is the longer thread and this takes part of its work; where storing is
 * the longer one, the worker is done before this starts and nothing moves. Each message is one step, then other work
 * on this thread (the next batch's fetch) gets its turn.
 */
async function prepareWhileParsing(s: RunState, incoming: IncomingMessage[], early: Map<Buffer, Promise<Parsed | null>>, parsed: Promise<void>): Promise<void> {
  const parser = s.parser;
  if (!parser) return;
  let done = false;
  parsed.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = incoming.length - 1; i >= 0; i--) {
    await new Promise((resolve) => setImmediate(resolve));
    if (done) return;
    const m = incoming[i];
    const job = Buffer.isBuffer(m.raw) && !m.prepared ? early.get(m.raw) : undefined;
    if (!job) continue;
    // Taken by the worker: so are all the messages before this one.
    if (!parser.takePrepare(job)) return;
    try {
      m.prepared = prepareBytes(m.raw as Buffer);
    } catch {
      // the archive hashes and compresses it itself
    }
  }
}

/** Messages the server no longer has: marked gone (never deleted); many at once raises the alarm. */
async function checkGone(s: RunState, accountId: number, f: ServerFolder, row: FolderRow, uv: number, exists: number, uidNext: number, serverUids: () => Promise<Set<number>>): Promise<void> {
  const known = s.archive.knownUids(row.id, uv);
  // Nothing arrived and the count is what we have: nothing can be gone (the cheap path of a no-op backup).
  if (uidNext === row.uidnext && exists === known.length) return;
  if (!known.length) return;
  const onServer = await serverUids();
  const gone = known.filter((u) => !onServer.has(u));
  if (!gone.length) return;
  s.archive.markGone(row.id, uv, gone, s.now);
  const before = row.serverCount ?? known.length;
  if (gone.length >= MASS_LOSS_COUNT && gone.length >= MASS_LOSS_SHARE * before) raiseAlarm(s, accountId, 'mass-loss', f.path, gone.length);
}

/**
 * Messages marked gone whose UID the server has again under the same UIDVALIDITY (a folder deleted, then restored and
 * re-created within the same second, keeps its UIDVALIDITY): by IMAP's rules they are the same messages, so they are
 * on the server again. Without this they would stay "missing" forever, since the cursor is already past their UIDs.
 */
async function reviveReturned(s: RunState, row: FolderRow, uv: number, exists: number, serverUids: () => Promise<Set<number>>): Promise<void> {
  if (exists === 0) return;
  const gone = s.archive.goneUids(row.id, uv);
  if (!gone.length) return;
  const onServer = await serverUids();
  const back = gone.filter((u) => onServer.has(u));
  if (back.length) s.archive.markPresent(row.id, uv, back);
}

/** Flag and keyword changes on messages already archived: CONDSTORE when offered, else every flag again. */
async function syncFlags(c: ImapFlow, s: RunState, row: FolderRow, uv: number, cursorUid: number, serverModseq: bigint | undefined): Promise<void> {
  if (cursorUid <= 1) return;
  let changedSince: bigint | undefined;
  if (serverModseq !== undefined && row.highestModseq !== null) {
    changedSince = BigInt(row.highestModseq);
    if (serverModseq <= changedSince) return;
  }
  const changes: { uid: number; flags: string[]; modseq?: string | null }[] = [];
  const query = { uid: true, flags: true, ...(changedSince !== undefined ? { modseq: true } : {}) };
  for await (const m of c.fetch(`1:${cursorUid - 1}`, query, { uid: true, ...(changedSince !== undefined ? { changedSince } : {}) })) {
    changes.push({ uid: m.uid, flags: flagsOf(m), modseq: m.modseq !== undefined ? m.modseq.toString() : null });
  }
  for (let i = 0; i < changes.length; i += 5000) s.archive.updateFlags(row.id, uv, changes.slice(i, i + 5000));
}


/**
 * The archive: one directory holding a SQLite database (WAL) and content-addressed blob files.
 * Append-only by design: nothing here deletes a message; "gone from the server" is only a mark.
 * See archive.types.std.ts for the contract.
 */
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, createReadStream, createWriteStream, mkdirSync, openSync, readSync, renameSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ArcheError } from '../../../shared/errors.std.ts';
import { NormHasher, normHashGivenSha } from './norm-hash.node.ts';
import type {
  AccountRow,
  AddResult,
  AlarmRow,
  ArchiveApi,
  FolderCursor,
  FolderInfo,
  FolderRow,
  IncomingMessage,
  PreparedBytes,
  MessageMeta,
  PlacementRow,
  UnreadableEntry,
} from './archive.types.std.ts';
import {
  INLINE_LIMIT,
  adoptBlobSync,
  brotliStream,
  cleanOrphanTemps,
  codecOf,
  decode,
  encodeSmall,
  isInline,
  openBlobStream,
  readBlobSync,
  storageFor,
  tmpDir,
  tmpName,
  worthIt,
  writeBlobAsync,
  writeBlobSync,
} from './blob-store.node.ts';
import { openDatabase, type Db } from './db.node.ts';
import { ensureDir } from './ensure-dir.node.ts';
import { DB_FILE, defaultArchiveDir, openError } from './location.node.ts';
// The MIME parsers are loaded only when a message must be parsed: `arche search` never pays for them.
const loadExtractor = (): Promise<typeof import('./extract-meta.node.ts')> => import('./extract-meta.node.ts');
import { indexWriter, type IndexRow } from './index-write.node.ts';
import { unreadableStore } from './unreadable.node.ts';
import { blobCheck } from './blob-check.node.ts';
import { threadWriter } from './thread-write.node.ts';
import { HEADER_BYTES } from './thread-ids.std.ts';
import { attachmentIndex } from './attachment-drain.node.ts';

export { DB_FILE, defaultArchiveDir };

/** Above this size, indexPending parses from a stream rather than from a buffer. */
const STREAM_PARSE_OVER = 4 * 1024 * 1024;
const PAGE = 500;

interface Prepared {
  sha256: string;
  normHash: string;
  compressed: boolean;
  size: number;
  meta: MessageMeta | null;
}

/** What openArchive returns: the contract, plus the database for the find engine's read-only queries. */
export interface Archive extends ArchiveApi {
  readonly db: Db;
}

function flagsText(flags: string[]): string {
  return flags.length ? ` ${flags.join(' ')} ` : ' ';
}
function flagsList(text: string): string[] {
  return text.split(' ').filter(Boolean);
}
function sha256Hex(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

interface AccountDb {
  id: number;
  url: string;
  created_at: number;
  last_backup_at: number | null;
  last_backup_status: string | null;
}
interface FolderDb {
  id: number;
  account_id: number;
  path: string;
  delimiter: string | null;
  special_use: string | null;
  uidvalidity: number | null;
  uidnext: number | null;
  highest_modseq: string | null;
  server_count: number | null;
  gone_at: number | null;
}
const toAccount = (r: AccountDb): AccountRow => ({ id: r.id, url: r.url, createdAt: r.created_at, lastBackupAt: r.last_backup_at, lastBackupStatus: r.last_backup_status });
const toFolder = (r: FolderDb): FolderRow => ({
  id: r.id,
  accountId: r.account_id,
  path: r.path,
  delimiter: r.delimiter,
  specialUse: r.special_use,
  uidvalidity: r.uidvalidity,
  uidnext: r.uidnext,
  highestModseq: r.highest_modseq,
  serverCount: r.server_count,
  goneAt: r.gone_at,
});

/** Hash (and, when it saves room, compress) a file synchronously, chunk by chunk. Fallback for unprepared files. */
function hashFileSync(file: string): Prepared {
  const sha = createHash('sha256');
  const norm = new NormHasher();
  const fd = openSync(file, 'r');
  const buf = Buffer.allocUnsafe(1024 * 1024);
  let size = 0;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) break;
      const chunk = buf.subarray(0, n);
      sha.update(chunk);
      norm.update(chunk);
      size += n;
    }
  } finally {
    closeSync(fd);
  }
  return { sha256: sha.digest('hex'), normHash: norm.digest(), compressed: false, size, meta: null };
}

/** The first bytes of a message file: its header block, for the conversation ids. */
function readFileHead(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(HEADER_BYTES);
    return buf.subarray(0, readSync(fd, buf, 0, HEADER_BYTES, 0));
  } catch {
    return Buffer.alloc(0);
  } finally {
    closeSync(fd);
  }
}

/** Up to HEADER_BYTES of a stream, then stops reading it. */
async function streamHead(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  try {
    for await (const c of stream as AsyncIterable<Buffer>) {
      chunks.push(c);
      n += c.length;
      if (n >= HEADER_BYTES) break;
    }
  } finally {
    (stream as Readable).destroy?.();
  }
  return Buffer.concat(chunks).subarray(0, HEADER_BYTES);
}

function moveFile(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    copyFileSync(from, to);
    unlinkSync(from);
  }
}

export function openArchive(dir: string): Archive {
  let db: Db;
  try {
    ensureDir(dir);
    cleanOrphanTemps(dir);
    db = openDatabase(path.join(dir, DB_FILE));
  } catch (e) {
    throw openError(dir, e);
  }
  const prepared = new Map<string, Prepared>();
  /** Blob files stageBlobs wrote (sha256 → stored size) for contents the next addMessages stores. */
  const staged = new Map<string, number>();
  const index = indexWriter(db);
  const unread = unreadableStore(db);
  const blobs = blobCheck(db, dir);
  const threads = threadWriter(db);
  const attachments = attachmentIndex(db, (id) => readRaw(id), index);

  const q = {
    accountByUrl: db.prepare('SELECT * FROM accounts WHERE url = ?'),
    insertAccount: db.prepare('INSERT INTO accounts (url, created_at) VALUES (?, ?) ON CONFLICT(url) DO NOTHING'),
    accounts: db.prepare('SELECT * FROM accounts ORDER BY id'),
    setStatus: db.prepare('UPDATE accounts SET last_backup_status = ?, last_backup_at = ? WHERE id = ?'),
    upsertFolder: db.prepare(
      `INSERT INTO folders (account_id, path, delimiter, special_use) VALUES (?, ?, ?, ?)
       ON CONFLICT(account_id, path) DO UPDATE SET delimiter = excluded.delimiter, special_use = excluded.special_use, gone_at = NULL
       RETURNING *`,
    ),
    folders: db.prepare('SELECT * FROM folders WHERE account_id = ? ORDER BY path'),
    folderGone: db.prepare('UPDATE folders SET gone_at = ? WHERE id = ? AND gone_at IS NULL'),
    cursor: db.prepare(
      `UPDATE folders SET uidvalidity = coalesce(@uidvalidity, uidvalidity), uidnext = coalesce(@uidnext, uidnext),
       highest_modseq = CASE WHEN @setModseq THEN @highestModseq ELSE highest_modseq END,
       server_count = coalesce(@serverCount, server_count) WHERE id = @folderId`,
    ),
    placementExists: db.prepare('SELECT 1 FROM placements WHERE folder_id = ? AND uidvalidity = ? AND uid = ?').pluck(),
    contentBySha: db.prepare('SELECT id FROM contents WHERE sha256 = ?').pluck(),
    insertContent: db.prepare('INSERT INTO contents (sha256, norm_hash, size, storage, added_at, stored_size) VALUES (?, ?, ?, ?, ?, ?)'),
    insertRaw: db.prepare('INSERT INTO contents_raw (content_id, data) VALUES (?, ?)'),
    // sort_date (migration 010) written here, with the same rule as its trigger: the message's date as indexed, else
    // the arrival date. Given, the trigger's UPDATE of the row just inserted does not run: that UPDATE (one more
    // write of the row and of its browse index entry) was most of the storing thread's SQLite time in a backup.
    insertPlacement: db.prepare(
      `INSERT INTO placements (content_id, folder_id, uidvalidity, uid, flags, internal_date, modseq, added_at, sort_date)
       VALUES (@contentId, @folderId, @uidvalidity, @uid, @flags, @internalDate, @modseq, @now,
               coalesce((SELECT date FROM meta WHERE content_id = @contentId), @internalDate))`,
    ),
    updateFlags: db.prepare('UPDATE placements SET flags = ?, modseq = coalesce(?, modseq) WHERE folder_id = ? AND uidvalidity = ? AND uid = ?'),
    knownUids: db.prepare('SELECT uid FROM placements WHERE folder_id = ? AND uidvalidity = ? AND server_gone_at IS NULL ORDER BY uid').pluck(),
    markGone: db.prepare('UPDATE placements SET server_gone_at = ? WHERE folder_id = ? AND uidvalidity = ? AND uid = ? AND server_gone_at IS NULL'),
    goneUids: db.prepare('SELECT uid FROM placements WHERE folder_id = ? AND uidvalidity = ? AND server_gone_at IS NOT NULL ORDER BY uid').pluck(),
    markPresent: db.prepare('UPDATE placements SET server_gone_at = NULL WHERE folder_id = ? AND uidvalidity = ? AND uid = ? AND server_gone_at IS NOT NULL'),
    contentInfo: db.prepare('SELECT sha256, storage, size FROM contents WHERE id = ?'),
    rawData: db.prepare('SELECT data FROM contents_raw WHERE content_id = ?').pluck(),
    byNorm: db.prepare('SELECT id FROM contents WHERE norm_hash = ?').pluck(),
    addAlarm: db.prepare('INSERT INTO alarms (account_id, folder_path, kind, missing, created_at) VALUES (?, ?, ?, ?, ?)'),
    alarmsAll: db.prepare('SELECT * FROM alarms ORDER BY id'),
    alarmsOf: db.prepare('SELECT * FROM alarms WHERE account_id = ? ORDER BY id'),
    // Every meta row belongs to a content, so the difference of two counts is the backlog (cheap: no join).
    pendingCount: db.prepare('SELECT (SELECT count(*) FROM contents) - (SELECT count(*) FROM meta)').pluck(),
    // One row per distinct (folder, message) of the account; `live` when the server still has it in that folder.
    // Messages as the server held them: identical copies in one folder count as many times as they were there.
    // Counted within one UIDVALIDITY (a renumbered folder holds old and new placements of the same ones), as the
    // larger of the copies still there and those gone (a message put back gets a new UID beside its gone one: one
    // message, not two); missing = copies no numbering shows on the server any more.
    // missingSince: when Arche first noticed one of the missing ones gone (for "since when" in the summary).
    accountCounts: db.prepare(
      `SELECT coalesce(sum(n), 0) AS messages, coalesce(sum(n - live), 0) AS missing, min(CASE WHEN n > live THEN gone_at END) AS missingSince FROM (
         SELECT max(max(live, gone)) AS n, max(live) AS live, max(gone_at) AS gone_at FROM (
           SELECT p.folder_id, p.content_id, sum(p.server_gone_at IS NULL) AS live, sum(p.server_gone_at IS NOT NULL) AS gone, max(p.server_gone_at) AS gone_at
           FROM placements p JOIN folders f ON f.id = p.folder_id
           WHERE f.account_id = ? GROUP BY p.folder_id, p.content_id, p.uidvalidity)
         GROUP BY folder_id, content_id)`,
    ),
    reindexCount: db.prepare('SELECT count(*) FROM reindex').pluck(),
    reindexPage: db.prepare('SELECT r.content_id AS id, c.size FROM reindex r JOIN contents c ON c.id = r.content_id ORDER BY r.content_id DESC LIMIT ?'),
    reindexDone: db.prepare('DELETE FROM reindex WHERE content_id = ?'),
    threadBackfillCount: db.prepare('SELECT count(*) FROM thread_backfill').pluck(),
    threadBackfillPage: db.prepare('SELECT content_id FROM thread_backfill ORDER BY content_id DESC LIMIT ?').pluck(),
    threadBackfillDone: db.prepare('DELETE FROM thread_backfill WHERE content_id = ?'),
    pendingPage: db.prepare(
      `SELECT c.id, c.size, (SELECT min(internal_date) FROM placements p WHERE p.content_id = c.id) AS first_seen
       FROM contents c WHERE c.id > ? AND NOT EXISTS (SELECT 1 FROM meta m WHERE m.content_id = c.id) ORDER BY c.id LIMIT ?`,
    ),
  };

  function contentFile(contentId: number): { sha256: string; storage: number; size: number } {
    const info = q.contentInfo.get(contentId) as { sha256: Buffer; storage: number; size: number } | undefined;
    if (!info) throw new ArcheError('archive-message-unknown', { id: contentId });
    return { sha256: info.sha256.toString('hex'), storage: info.storage, size: info.size };
  }

  function readRaw(contentId: number): Buffer {
    const { sha256, storage, size } = contentFile(contentId);
    if (isInline(storage)) return decode(q.rawData.get(contentId) as Buffer, codecOf(storage), size);
    return readBlobSync(dir, sha256, codecOf(storage), size);
  }

  function openRaw(contentId: number): NodeJS.ReadableStream {
    const { sha256, storage } = contentFile(contentId);
    if (isInline(storage)) return Readable.from([readRaw(contentId)]);
    return openBlobStream(dir, sha256, codecOf(storage));
  }

  function storeBuffer(raw: Buffer, sha: string, now: number, prep: PreparedBytes | null): number {
    const norm = prep ? prep.normHash : normHashGivenSha(raw, sha);
    const enc = prep ? (prep.compressed ? { data: prep.compressed, compressed: true } : { data: raw, compressed: false }) : encodeSmall(raw);
    const inline = enc.data.length <= INLINE_LIMIT;
    const stagedSize = inline ? undefined : staged.get(sha);
    const storedSize = inline ? null : stagedSize === enc.data.length ? stagedSize : writeBlobSync(dir, sha, enc.data);
    const storage = storageFor(inline, enc.compressed);
    const id = Number(q.insertContent.run(Buffer.from(sha, 'hex'), Buffer.from(norm, 'hex'), raw.length, storage, now, storedSize).lastInsertRowid);
    if (inline) q.insertRaw.run(id, enc.data);
    return id;
  }

  function applyCursor(cursor: FolderCursor | undefined): void {
    if (!cursor) return;
    q.cursor.run({
      folderId: cursor.folderId,
      uidvalidity: cursor.uidvalidity ?? null,
      uidnext: cursor.uidnext ?? null,
      setModseq: cursor.highestModseq !== undefined ? 1 : 0,
      highestModseq: cursor.highestModseq ?? null,
      serverCount: cursor.serverCount ?? null,
    });
  }

  const addTx = db.transaction((batch: IncomingMessage[], cursor: FolderCursor | undefined, leftovers: string[], unreadable: UnreadableEntry[]): AddResult => {
    const res: AddResult = { placementsAdded: 0, contentsAdded: 0, bytesAdded: 0, alreadyPresent: 0 };
    const now = Date.now();
    const indexRows: IndexRow[] = [];
    // What the server did not hand over is recorded with the cursor that passes it: never skipped in silence.
    unread.record(unreadable, now);
    for (const m of batch) {
      unread.clear(m.folderId, m.uidvalidity, m.uid);
      if (q.placementExists.get(m.folderId, m.uidvalidity, m.uid) !== undefined) {
        res.alreadyPresent++;
        if (!Buffer.isBuffer(m.raw)) leftovers.push(m.raw.file);
        continue;
      }
      let contentId: number;
      let meta = m.meta ?? null;
      if (Buffer.isBuffer(m.raw)) {
        // Hashed and encoded in a parse worker when the caller could (same bytes: a copy made for the worker).
        const prep = m.prepared && m.prepared.size === m.raw.length ? m.prepared : null;
        const sha = prep ? prep.sha256 : sha256Hex(m.raw);
        const existing = q.contentBySha.get(Buffer.from(sha, 'hex')) as number | undefined;
        if (existing !== undefined) contentId = existing;
        else {
          contentId = storeBuffer(m.raw, sha, now, prep);
          threads.linkRaw(contentId, m.raw);
          res.contentsAdded++;
          res.bytesAdded += m.raw.length;
        }
      } else {
        const file = m.raw.file;
        const p = prepared.get(file) ?? hashFileSync(file);
        const existing = q.contentBySha.get(Buffer.from(p.sha256, 'hex')) as number | undefined;
        if (existing !== undefined) {
          contentId = existing;
          leftovers.push(file);
        } else {
          const head = readFileHead(file);
          const storedSize = adoptBlobSync(dir, p.sha256, file);
          const storage = storageFor(false, p.compressed);
          contentId = Number(q.insertContent.run(Buffer.from(p.sha256, 'hex'), Buffer.from(p.normHash, 'hex'), p.size, storage, now, storedSize).lastInsertRowid);
          threads.linkRaw(contentId, head);
          res.contentsAdded++;
          res.bytesAdded += p.size;
        }
        if (!meta && p.meta) meta = p.meta;
      }
      if (meta && !index.hasMeta(contentId)) indexRows.push(index.writeMeta(contentId, meta, m.internalDate));
      q.insertPlacement.run({
        contentId,
        folderId: m.folderId,
        uidvalidity: m.uidvalidity,
        uid: m.uid,
        flags: flagsText(m.flags),
        internalDate: m.internalDate,
        modseq: m.modseq ?? null,
        now,
      });
      res.placementsAdded++;
    }
    applyCursor(cursor);
    index.writeRows(indexRows); // last: see writeRows
    return res;
  });

  function* placements(filter: { accountId?: number; folderId?: number; includeGone?: boolean } = {}): IterableIterator<PlacementRow> {
    // Folder by folder in (account, path) order, then keyset pages along the (folder, uid) index: no open cursor
    // (callers read raw bytes between rows) and no re-sorting of a large folder for every page.
    const folderWhere: string[] = [];
    const fParams: number[] = [];
    if (filter.accountId !== undefined) {
      folderWhere.push('f.account_id = ?');
      fParams.push(filter.accountId);
    }
    if (filter.folderId !== undefined) {
      folderWhere.push('f.id = ?');
      fParams.push(filter.folderId);
    }
    const folders = db
      .prepare(
        `SELECT f.id, f.account_id, a.url, f.path, f.delimiter, f.special_use FROM folders f JOIN accounts a ON a.id = f.account_id
         ${folderWhere.length ? 'WHERE ' + folderWhere.join(' AND ') : ''} ORDER BY f.account_id, f.path`,
      )
      .all(...fParams) as { id: number; account_id: number; url: string; path: string; delimiter: string | null; special_use: string | null }[];
    const page = db.prepare(
      `SELECT p.id AS placement_id, p.content_id, p.uidvalidity, p.uid, p.flags, p.internal_date, c.size, c.sha256, c.norm_hash,
         m.message_id, p.server_gone_at
       FROM placements p JOIN contents c ON c.id = p.content_id LEFT JOIN meta m ON m.content_id = p.content_id
       WHERE p.folder_id = @folderId AND (p.uid, p.uidvalidity, p.id) > (@ku, @kv, @ki) ${filter.includeGone ? '' : 'AND p.server_gone_at IS NULL'}
       ORDER BY p.uid, p.uidvalidity, p.id LIMIT ${PAGE}`,
    );
    type Row = {
      placement_id: number;
      content_id: number;
      uidvalidity: number;
      uid: number;
      flags: string;
      internal_date: number;
      size: number;
      sha256: Buffer;
      norm_hash: Buffer;
      message_id: string | null;
      server_gone_at: number | null;
    };
    for (const f of folders) {
      let key = { ku: -1, kv: -1, ki: -1 };
      for (;;) {
        const rows = page.all({ folderId: f.id, ...key }) as Row[];
        for (const r of rows) {
          yield {
            placementId: r.placement_id,
            contentId: r.content_id,
            accountId: f.account_id,
            accountUrl: f.url,
            folderId: f.id,
            folderPath: f.path,
            delimiter: f.delimiter,
            specialUse: f.special_use,
            uidvalidity: r.uidvalidity,
            uid: r.uid,
            flags: flagsList(r.flags),
            internalDate: r.internal_date,
            size: r.size,
            sha256: r.sha256.toString('hex'),
            normHash: r.norm_hash.toString('hex'),
            messageId: r.message_id,
            serverGoneAt: r.server_gone_at,
          };
        }
        if (rows.length < PAGE) break;
        const last = rows[rows.length - 1];
        key = { ku: last.uid, kv: last.uidvalidity, ki: last.placement_id };
      }
    }
  }

  /**
   * The blob files of a batch's new contents, written and fsynced (with their directories) a few at once on libuv's
   * threads before addMessages, which then finds them in place: the fsyncs no longer hold the thread that fetches
   * and commits, one file after another. Whatever fails here is left to addMessages, which writes the file itself
   * and reports the failure as before.
   */
  async function stageBlobs(batch: IncomingMessage[]): Promise<void> {
    const jobs: { sha: string; data: Buffer }[] = [];
    for (const m of batch) {
      const prep = Buffer.isBuffer(m.raw) && m.prepared && m.prepared.size === m.raw.length ? m.prepared : null;
      if (!prep || !Buffer.isBuffer(m.raw)) continue;
      const data = prep.compressed ?? m.raw;
      if (data.length <= INLINE_LIMIT || staged.has(prep.sha256) || jobs.some((j) => j.sha === prep.sha256)) continue;
      if (q.contentBySha.get(Buffer.from(prep.sha256, 'hex')) !== undefined) continue;
      jobs.push({ sha: prep.sha256, data });
    }
    const next = jobs.values();
    const lane = async (): Promise<void> => {
      for (const j of next) {
        const size = await writeBlobAsync(dir, j.sha, j.data).catch(() => null);
        if (size !== null) staged.set(j.sha, size);
      }
    };
    await Promise.all(Array.from({ length: Math.min(4, jobs.length) }, lane));
  }

  async function prepareLargeMessage(file: string): Promise<{ file: string; size: number }> {
    const size = statSync(file).size;
    const sha = createHash('sha256');
    const norm = new NormHasher();
    const out = tmpName(dir);
    mkdirSync(tmpDir(dir), { recursive: true });
    const { extractMetaFromStream } = await loadExtractor();
    const metaPromise = extractMetaFromStream(createReadStream(file, { highWaterMark: 256 * 1024 }));
    const input = createReadStream(file, { highWaterMark: 256 * 1024 });
    input.on('data', (c) => {
      sha.update(c as Buffer);
      norm.update(c as Buffer);
    });
    try {
      await pipeline(input, brotliStream(size), createWriteStream(out));
    } catch (e) {
      try {
        unlinkSync(out);
      } catch {
        // nothing written
      }
      throw e;
    }
    const meta = await metaPromise;
    const compressedSize = statSync(out).size;
    const compressed = worthIt(compressedSize, size);
    let result: string;
    if (compressed) {
      unlinkSync(file); // the archive owns the file: the compressed copy replaces it
      result = out;
    } else {
      unlinkSync(out);
      result = tmpName(dir);
      moveFile(file, result);
    }
    prepared.set(result, { sha256: sha.digest('hex'), normHash: norm.digest(), compressed, size, meta });
    return { file: result, size };
  }

  async function indexPending(control: { signal?: AbortSignal; onIndexed?: (done: number, total: number) => void } = {}): Promise<number> {
    const total = q.pendingCount.get() as number;
    if (total === 0) return 0;
    const { extractMeta, extractMetaFromStream } = await loadExtractor();
    let done = 0;
    let after = 0;
    const writeBatch = db.transaction((items: { id: number; meta: MessageMeta; firstSeen: number | null }[]) => {
      const rows: IndexRow[] = [];
      for (const it of items) if (!index.hasMeta(it.id)) rows.push(index.writeMeta(it.id, it.meta, it.firstSeen));
      index.writeRows(rows);
    });
    for (;;) {
      if (control.signal?.aborted) break;
      const rows = q.pendingPage.all(after, 200) as { id: number; size: number; first_seen: number | null }[];
      if (!rows.length) break;
      const items: { id: number; meta: MessageMeta; firstSeen: number | null }[] = [];
      for (const r of rows) {
        const meta = r.size > STREAM_PARSE_OVER ? await extractMetaFromStream(openRaw(r.id)) : await extractMeta(readRaw(r.id));
        items.push({ id: r.id, meta, firstSeen: r.first_seen });
      }
      writeBatch.immediate(items);
      after = rows[rows.length - 1].id;
      done += rows.length;
      control.onIndexed?.(done, total);
    }
    return done;
  }

  async function reindexText(control: { signal?: AbortSignal; onIndexed?: (done: number, total: number) => void } = {}): Promise<number> {
    const total = q.reindexCount.get() as number;
    if (total === 0) return 0;
    const { extractMeta, extractMetaFromStream } = await loadExtractor();
    let done = 0;
    const writeBatch = db.transaction((items: { id: number; meta: MessageMeta | null }[]) => {
      for (const it of items) {
        if (it.meta) index.rewrite(it.id, it.meta);
        q.reindexDone.run(it.id);
      }
    });
    for (;;) {
      if (control.signal?.aborted) break;
      const rows = q.reindexPage.all(100) as { id: number; size: number }[];
      if (!rows.length) break;
      const items: { id: number; meta: MessageMeta | null }[] = [];
      for (const r of rows) {
        // A message whose bytes cannot be read keeps its older entry (check reports the damage), never stops the run.
        let meta: MessageMeta | null = null;
        try {
          meta = r.size > STREAM_PARSE_OVER ? await extractMetaFromStream(openRaw(r.id)) : await extractMeta(readRaw(r.id));
        } catch {
          meta = null;
        }
        items.push({ id: r.id, meta });
      }
      writeBatch.immediate(items);
      done += rows.length;
      control.onIndexed?.(done, total);
    }
    return done;
  }

  /**
   * Conversations of an archive made before migration 009: each message's ids from its stored header block only
   * (a blob file is read as a stream and left after its first 64 KB), newest first, 200 per transaction.
   */
  async function backfillThreads(control: { signal?: AbortSignal; onLinked?: (done: number, total: number) => void } = {}): Promise<number> {
    const total = q.threadBackfillCount.get() as number;
    let done = 0;
    const writeBatch = db.transaction((items: { id: number; head: Buffer }[]) => {
      for (const it of items) {
        threads.linkRaw(it.id, it.head);
        q.threadBackfillDone.run(it.id);
      }
    });
    while (total > 0 && !control.signal?.aborted) {
      const ids = q.threadBackfillPage.all(200) as number[];
      if (!ids.length) break;
      const items: { id: number; head: Buffer }[] = [];
      for (const id of ids) {
        let head: Buffer;
        try {
          const { storage } = contentFile(id);
          head = isInline(storage) ? readRaw(id).subarray(0, HEADER_BYTES) : await streamHead(openRaw(id));
        } catch {
          head = Buffer.alloc(0); // unreadable bytes: a conversation of its own (check reports the damage)
        }
        items.push({ id, head });
      }
      writeBatch.immediate(items);
      done += ids.length;
      control.onLinked?.(done, total);
    }
    return done;
  }

  const api: Archive = {
    dir,
    db,
    close: () => db.close(),

    ensureAccount(url) {
      q.insertAccount.run(url, Date.now());
      return toAccount(q.accountByUrl.get(url) as AccountDb);
    },
    getAccount(url) {
      const r = q.accountByUrl.get(url) as AccountDb | undefined;
      return r ? toAccount(r) : null;
    },
    listAccounts: () => (q.accounts.all() as AccountDb[]).map(toAccount),
    setBackupStatus(accountId, status, at) {
      q.setStatus.run(status, at, accountId);
    },

    upsertFolder(accountId, info: FolderInfo) {
      return toFolder(q.upsertFolder.get(accountId, info.path, info.delimiter, info.specialUse) as FolderDb);
    },
    listFolders: (accountId) => (q.folders.all(accountId) as FolderDb[]).map(toFolder),
    markFolderGone(folderId, at) {
      q.folderGone.run(at, folderId);
    },

    addMessages(batch, cursor, unreadable = []) {
      const leftovers: string[] = [];
      let res: AddResult;
      try {
        res = addTx.immediate(batch, cursor, leftovers, unreadable);
      } finally {
        // staged files are in place whatever happened; an unused one is trusted again only after a check
        for (const m of batch) if (m.prepared) staged.delete(m.prepared.sha256);
      }
      // Only after the commit: prepared files whose content was already stored are no longer needed.
      for (const f of leftovers) {
        prepared.delete(f);
        try {
          unlinkSync(f);
        } catch {
          // already moved or removed
        }
      }
      for (const m of batch) if (!Buffer.isBuffer(m.raw)) prepared.delete(m.raw.file);
      return res;
    },
    stageBlobs,
    prepareLargeMessage,

    unreadable: (filter) => ('accountId' in filter ? unread.ofAccount(filter.accountId) : unread.ofFolder(filter.folderId, filter.uidvalidity)),
    forgetUnreadable(folderId, uidvalidity, uids) {
      db.transaction(() => {
        for (const uid of uids) unread.clear(folderId, uidvalidity, uid);
      }).immediate();
    },
    damagedContents: (accountId) => blobs.damagedContents(accountId),
    repairContent(contentId, raw) {
      if (Buffer.isBuffer(raw)) return blobs.repairContent(contentId, raw);
      const p = prepared.get(raw.file) ?? hashFileSync(raw.file);
      prepared.delete(raw.file);
      return blobs.repairContent(contentId, { file: raw.file, sha256: p.sha256, compressed: p.compressed });
    },

    updateFlags(folderId, uidvalidity, changes, cursor) {
      return db
        .transaction(() => {
          let n = 0;
          for (const c of changes) n += q.updateFlags.run(flagsText(c.flags), c.modseq ?? null, folderId, uidvalidity, c.uid).changes;
          applyCursor(cursor);
          return n;
        })
        .immediate();
    },

    knownUids: (folderId, uidvalidity) => q.knownUids.all(folderId, uidvalidity) as number[],
    goneUids: (folderId, uidvalidity) => q.goneUids.all(folderId, uidvalidity) as number[],
    markPresent(folderId, uidvalidity, uids) {
      return db
        .transaction(() => {
          let n = 0;
          for (const uid of uids) n += q.markPresent.run(folderId, uidvalidity, uid).changes;
          return n;
        })
        .immediate();
    },
    markGone(folderId, uidvalidity, uids, at) {
      return db
        .transaction(() => {
          let n = 0;
          for (const uid of uids) n += q.markGone.run(at, folderId, uidvalidity, uid).changes;
          return n;
        })
        .immediate();
    },

    hasContent: (sha256) => q.contentBySha.get(Buffer.from(sha256, 'hex')) !== undefined,
    contentIdBySha(sha256) {
      if (!/^[0-9a-f]{64}$/i.test(sha256)) return null;
      return (q.contentBySha.get(Buffer.from(sha256, 'hex')) as number | undefined) ?? null;
    },
    findByNormHash(normHashes) {
      const out = new Map<string, number[]>();
      for (const h of normHashes) {
        const ids = q.byNorm.all(Buffer.from(h, 'hex')) as number[];
        if (ids.length) out.set(h, ids);
      }
      return out;
    },

    placements,
    readRaw,
    openRaw,

    addAlarm(a: Omit<AlarmRow, 'id'>) {
      q.addAlarm.run(a.accountId, a.folderPath, a.kind, a.missing, a.createdAt);
    },
    alarms(accountId) {
      const rows = (accountId === undefined ? q.alarmsAll.all() : q.alarmsOf.all(accountId)) as {
        id: number;
        account_id: number;
        folder_path: string | null;
        kind: string;
        missing: number;
        created_at: number;
      }[];
      return rows.map((r) => ({ id: r.id, accountId: r.account_id, folderPath: r.folder_path, kind: r.kind, missing: r.missing, createdAt: r.created_at }));
    },

    pendingIndexCount: () => q.pendingCount.get() as number,
    accountCounts: (accountId) => q.accountCounts.get(accountId) as { messages: number; missing: number; missingSince: number | null },
    indexPending,
    reindexText,
    reindexCount: () => q.reindexCount.get() as number,
    backfillThreads,
    threadBackfillCount: () => q.threadBackfillCount.get() as number,
    attachmentQueueCount: () => attachments.queued(),
    unreadableAttachments: (accountId) => attachments.unreadable(accountId),
    indexAttachments: (control) => attachments.drain(control),
  };
  return api;
}

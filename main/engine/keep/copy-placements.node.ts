/**
 * The copy loop shared by restore (and reusable by Move): archived messages → given destination folders.
 *
 * Never twice: before copying into a folder, what the destination already holds there is fingerprinted by content
 * (normHash: line endings aside), candidates first narrowed by Message-ID; a message already there is skipped. So a
 * second run copies nothing, even after a kill between the server accepting an APPEND and Arche noting it.
 * Keeps flags, keywords and INTERNALDATE (APPEND with flags + date). Nothing silently dropped: every message not
 * copied comes back with its reason. A dropped connection is re-opened and the copy carries on.
 */
import type { ImapFlow } from 'imapflow';
import { ArcheError, isArcheError, type ArcheErrorData } from '../../../shared/errors.std.ts';
import type { JobControl, JobKind } from '../../../shared/events.std.ts';
import type { AccountSpec } from '../../../shared/types.std.ts';
import type { ArchiveApi } from '../archive/archive.types.std.ts';
import { NormHasher } from '../move/norm-hash.node.ts';
import { errorContext, type ConnectOptions } from '../imap/connect.node.ts';
import { toArcheError } from '../imap/imap-errors.node.ts';
import { withReconnect, type Reconnecting } from './reconnect.node.ts';

export interface CopyItem {
  contentId: number;
  size: number;
  normHash: string;
  messageId: string | null;
  flags: string[];
  internalDate: number;
  /** Source folder path (for reports). */
  sourceFolder: string;
}

export interface CopyTarget {
  /** Source folder path(s), for the report. */
  source: string;
  /** Destination path, full (prefix included). */
  destination: string;
  items: CopyItem[];
}

export interface CopyFailure {
  sourceFolder: string;
  destination: string;
  contentId: number;
  subject: string;
  reason: ArcheErrorData;
}

export interface CopyResult {
  copied: number;
  skippedExisting: number;
  failed: number;
  failures: CopyFailure[];
  folders: { source: string; destination: string; copied: number }[];
}

export interface CopyEvent {
  item: CopyItem;
  destination: string;
  outcome: 'copied' | 'skipped' | 'failed';
  /** APPENDUID, where the server offers UIDPLUS. */
  uid?: number;
  uidValidity?: number;
  reason?: ArcheErrorData;
}

export interface CopyOptions extends JobControl {
  job?: JobKind;
  connectOptions?: ConnectOptions;
  retryDelaysMs?: number[];
  /** Called once per message, after it was copied, skipped or refused. */
  onMessage?: (e: CopyEvent) => void;
}

/** Bytes of candidate sources fetched at once while fingerprinting a destination folder. */
const HASH_BATCH_BYTES = 16 * 1024 * 1024;
const HASH_BATCH_COUNT = 200;

/** The raw bytes of a content (streamed from the archive for large ones). */
export async function readContent(archive: ArchiveApi, contentId: number, size: number): Promise<Buffer> {
  if (size < 4 * 1024 * 1024) return archive.readRaw(contentId);
  const chunks: Buffer[] = [];
  for await (const c of archive.openRaw(contentId) as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

/** Subject of a raw message (RFC 2047 decoded for UTF-8 and Latin-1), to name it in a report. */
export function subjectOf(raw: Buffer): string {
  let end = raw.indexOf('\r\n\r\n');
  if (end < 0) end = raw.indexOf('\n\n');
  const head = raw.subarray(0, end < 0 ? Math.min(raw.length, 65536) : end).toString('utf8');
  const m = /^subject[ \t]*:((?:.*)(?:\r?\n[ \t].*)*)/im.exec(head);
  if (!m) return '';
  return m[1]
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=(?:\s+(?==\?))?/g, (_a, cs: string, enc: string, t: string) => {
      const b = enc.toUpperCase() === 'B' ? Buffer.from(t, 'base64') : Buffer.from(t.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
      return /utf-?8/i.test(cs) ? b.toString('utf8') : b.toString('latin1');
    });
}

function normaliseMessageId(id: string | null | undefined): string | null {
  if (!id) return null;
  const t = id.trim().replace(/^<|>$/g, '').toLowerCase();
  return t || null;
}

/** Creates the folder if needed (parents first is the caller's order) and subscribes to it. */
async function ensureFolder(c: ImapFlow, path: string): Promise<void> {
  if (path.toUpperCase() === 'INBOX') return;
  const exists = (await c.list()).some((f) => f.path === path);
  if (!exists) await c.mailboxCreate(path);
  await c.mailboxSubscribe(path).catch(() => undefined);
}

/**
 * Content fingerprints of the destination folder's messages that could be one of `items`: those whose Message-ID is
 * one of theirs, and those without a Message-ID (or all, when some items have no known Message-ID).
 */
async function presentHashes(c: ImapFlow, path: string, items: CopyItem[]): Promise<Set<string>> {
  const present = new Set<string>();
  const ids = new Set(items.map((i) => normaliseMessageId(i.messageId)).filter((x): x is string => x !== null));
  const hashAll = items.some((i) => !normaliseMessageId(i.messageId));
  const lock = await c.getMailboxLock(path, { readOnly: true });
  try {
    if (!(c.mailbox && c.mailbox.exists > 0)) return present;
    const candidates: { uid: number; size: number }[] = [];
    for await (const m of c.fetch('1:*', { uid: true, size: true, envelope: true })) {
      const id = normaliseMessageId(m.envelope?.messageId);
      if (hashAll || !id || ids.has(id)) candidates.push({ uid: m.uid, size: m.size ?? 0 });
    }
    for (let i = 0; i < candidates.length; ) {
      const batch: number[] = [];
      let bytes = 0;
      while (i < candidates.length && batch.length < HASH_BATCH_COUNT && (batch.length === 0 || bytes + candidates[i].size <= HASH_BATCH_BYTES)) {
        batch.push(candidates[i].uid);
        bytes += candidates[i].size;
        i++;
      }
      for await (const m of c.fetch(batch.join(','), { uid: true, source: true }, { uid: true })) {
        if (m.source) present.add(new NormHasher().update(m.source).digest());
      }
    }
  } finally {
    lock.release();
  }
  return present;
}

function failureReason(e: ArcheError): ArcheErrorData {
  return e.toData();
}

/**
 * Copies each target's items into its destination folder. Targets are processed in order (give parents before
 * children). Throws only when the connection cannot be re-established or the job is stopped; refusals of single
 * messages (quota, size, server NO) are reported in `failures` and the copy goes on.
 */
export async function copyPlacements(archive: ArchiveApi, destination: AccountSpec, targets: CopyTarget[], opts: CopyOptions = {}): Promise<CopyResult> {
  const ctx = errorContext(destination);
  const job = opts.job ?? 'restore';
  const result: CopyResult = { copied: 0, skippedExisting: 0, failed: 0, failures: [], folders: [] };
  const total = targets.reduce((n, t) => n + t.items.length, 0);
  const bytesTotal = targets.reduce((n, t) => n + t.items.reduce((b, i) => b + i.size, 0), 0);
  let done = 0;
  let bytesDone = 0;
  const started = Date.now();
  const progress = (folder: string, folderDone: number, folderTotal: number, notice?: ArcheErrorData): void => {
    const elapsed = (Date.now() - started) / 1000;
    const rate = elapsed > 0.5 && done > 0 ? done / elapsed : undefined;
    opts.onProgress?.({
      job, phase: 'copy', folder, folderDone, folderTotal, done, total, bytesDone, bytesTotal,
      ...(rate ? { ratePerSec: rate, etaSeconds: Math.round((total - done) / rate) } : {}),
      ...(notice ? { notice } : {}),
    });
  };
  const session: Reconnecting = withReconnect(destination, ctx, {
    connectOptions: opts.connectOptions,
    retryDelaysMs: opts.retryDelaysMs,
    signal: opts.signal,
    onNotice: (n) => progress('', 0, 0, n),
  });
  await session.start();
  try {
    for (const t of targets) {
      if (opts.signal?.aborted) throw new ArcheError('aborted', {});
      let folderCopied = 0;
      let folderDone = 0;
      progress(t.destination, 0, t.items.length);
      let present: Set<string>;
      try {
        present = await session.run(async (c) => {
          await ensureFolder(c, t.destination);
          return presentHashes(c, t.destination, t.items);
        });
      } catch (e) {
        const err = toArcheError(e, ctx);
        if (err.code !== 'server-refused' && err.code !== 'quota-full') throw err;
        // The folder cannot be created or read: every message meant for it is reported, the others go on.
        for (const item of t.items) {
          const subject = subjectOf(archive.readRaw(item.contentId).subarray(0, 65536));
          result.failures.push({ sourceFolder: item.sourceFolder, destination: t.destination, contentId: item.contentId, subject, reason: failureReason(err) });
          result.failed++;
          done++;
          opts.onMessage?.({ item, destination: t.destination, outcome: 'failed', reason: failureReason(err) });
        }
        result.folders.push({ source: t.source, destination: t.destination, copied: 0 });
        continue;
      }
      for (const item of t.items) {
        if (opts.signal?.aborted) throw new ArcheError('aborted', {});
        if (present.has(item.normHash)) {
          result.skippedExisting++;
          opts.onMessage?.({ item, destination: t.destination, outcome: 'skipped' });
        } else {
          const raw = await readContent(archive, item.contentId, item.size);
          // \Recent is the server's to set; \Deleted would let the next expunge remove what is being put back.
          const flags = item.flags.filter((f) => f.toLowerCase() !== '\\recent' && f.toLowerCase() !== '\\deleted');
          try {
            let attempt = 0;
            const res = await session.run(async (c) => {
              // After a drop, the server may have taken the message before the connection went: look before copying again.
              if (attempt++ > 0 && (await presentHashes(c, t.destination, [item])).has(item.normHash)) return 'already' as const;
              try {
                return await c.append(t.destination, raw, flags, new Date(item.internalDate));
              } catch (e) {
                if (!c.usable) throw e;
                throw toArcheError(e, ctx);
              }
            });
            present.add(item.normHash);
            if (res === 'already') {
              result.skippedExisting++;
              opts.onMessage?.({ item, destination: t.destination, outcome: 'skipped' });
            } else {
              result.copied++;
              folderCopied++;
              opts.onMessage?.({
                item, destination: t.destination, outcome: 'copied',
                ...(res && res.uid ? { uid: res.uid } : {}), ...(res && res.uidValidity ? { uidValidity: Number(res.uidValidity) } : {}),
              });
            }
          } catch (e) {
            const err = isArcheError(e) ? (e as ArcheError) : toArcheError(e, ctx);
            if (err.code === 'connection-lost' || err.code === 'aborted' || err.code === 'disk-full') throw err;
            const reason = failureReason(err);
            result.failures.push({ sourceFolder: item.sourceFolder, destination: t.destination, contentId: item.contentId, subject: subjectOf(raw.subarray(0, 65536)), reason });
            result.failed++;
            opts.onMessage?.({ item, destination: t.destination, outcome: 'failed', reason });
          }
          bytesDone += item.size;
        }
        done++;
        folderDone++;
        progress(t.destination, folderDone, t.items.length);
      }
      result.folders.push({ source: t.source, destination: t.destination, copied: folderCopied });
    }
  } finally {
    await session.end();
  }
  return result;
}

/**
 * Arche's one copy loop: archived messages → destination folders. Used by a migration (the mapped folders) and by
 * restore (the archive put back into an account, the same one or another).
 *
 * Never twice: before copying into a folder, the destination's messages there are fingerprinted (by content), and
 * a message whose content is already there is skipped. This holds on a re-run, after a kill -9 between the server
 * accepting an APPEND and Arche noting it, and when the user already copied part of the mail by hand.
 * Nothing silently dropped: every message not copied is returned with its reason.
 * Throttling ("NO Temporary unavailable", Microsoft's "Backoff Time", Gmail's caps) waits and tells the user when
 * the copy will carry on; a dropped connection is re-opened and the copy resumes.
 */
import type { ImapFlow } from 'imapflow';
import { ArcheError, isArcheError, type ArcheErrorData } from '../../../shared/errors.std.ts';
import type { JobControl, JobKind } from '../../../shared/events.std.ts';
import type { ArchiveApi } from '../archive/archive.types.std.ts';
import type { CopyFailure, PlacedCopy } from './transfer.types.std.ts';
import type { DestinationPlan, PlannedMessage } from './selection.node.ts';
import { sameRewrittenMessage, type FoundMessage } from './compare.std.ts';
import { folderUids, hashDestinationFolder, headerMessageId, normMessageId } from './destination.node.ts';
import { appendLimitOf, openForAppend, prepareFolder, separatorOf, type FolderReady } from './dest-folder.node.ts';
import { keptFlags, withCrlf } from './append-prep.node.ts';
import { neutralHash } from './neutral-hash.node.ts';
import { classifyAppendError, throttleDelayMs, type AppendErrorKind } from './append-errors.std.ts';
import { abortableWait } from '../base/abortable-wait.std.ts';
import { canMultiAppend, multiAppend, type MultiAppendResult } from './multi-append.node.ts';
import { rawHeaderField } from './raw-header.node.ts';
import { formatClock } from '../../../shared/clock.std.ts';

export type { PlacedCopy } from './transfer.types.std.ts';

export interface CopySummary {
  /** Messages copied by this run, with their UID at the destination where the server tells it. */
  placed: PlacedCopy[];
  copied: number;
  skippedExisting: number;
  failed: number;
  failures: CopyFailure[];
  folders: { source: string; destination: string; copied: number }[];
  /**
   * What the destination could not do, said once each (not per message): a folder name it refused, keywords it
   * does not keep, parallel APPENDs it lost (the copy then used one connection).
   */
  notes: ArcheErrorData[];
  /** Planned messages the destination already held, found by content (not by a recorded UID): also in `placed`. */
  foundByContent: PlacedCopy[];
}

export interface CopyOptions {
  /** Opens a new connection to the destination (used at start, after a drop, and for parallel copies). */
  connect: () => Promise<ImapFlow>;
  archive: ArchiveApi;
  plans: Map<string, DestinationPlan>;
  /** Largest message the destination accepts, when known (else its APPENDLIMIT): bigger ones are not attempted. */
  sizeLimit?: number | null;
  /** Connections used in parallel inside a folder (within the server's limits). */
  connections?: number;
  /**
   * Where earlier runs put messages ("contentId destination" → UIDVALIDITY/UID, from APPENDUID). A UID that still
   * exists under the same UIDVALIDITY is proof the message is there (IMAP never reuses a UID for other content),
   * so a re-run only downloads what no record accounts for.
   */
  known?: Record<string, { uidValidity: number; uid: number }>;
  /** Waits (tests replace it); resolves early when the job is aborted. */
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The job the progress events belong to (default 'migrate'). */
  job?: JobKind;
  /**
   * Identical copies of one message in one source folder go as that many copies (restore: "as the server had them").
   * Without it, one copy of each content per destination folder (a migration's rule).
   */
  keepCopies?: boolean;
  /**
   * Told when a destination folder is finished (this copy writes nothing more there), with how many messages went in
   * now: a migration starts verifying that folder beside the copy of the next ones (early-hashes.node.ts).
   */
  onFolderDone?: (destination: string, copied: number) => void;
}

const MAX_THROTTLE_RETRIES = 8;
const RECONNECT_WAITS_MS = [1_000, 3_000, 10_000, 30_000];
/** Connection failures worth waiting out (the others, like a refused password, will not get better by waiting). */
const TRANSIENT = new Set(['connection-lost', 'connection-timeout', 'connection-refused']);
const MAX_RECONNECTS = 5;
/**
 * One MULTIAPPEND carries at most this many messages and bytes: bounded memory, and little to redo after a drop.
 * Each command's bytes are in memory about three times while it goes (the messages read, imapflow's command joined
 * into one buffer, the TLS records waiting for the socket), on each of the copy's connections. A move of 20,000
 * messages peaked at 278–316 MB (six runs) with 8 MB, 271–285 MB (four runs) with 4 MB, at the same speed
 * (docs/benchmarks.md). 50 messages of the bench corpus's mean size are 3.5 MB.
 */
const MULTI_MESSAGES = 50;
const MULTI_BYTES = 4 * 1024 * 1024;

/** A message to copy, with its bytes read from the archive. */
interface Item {
  m: PlannedMessage;
  raw: Buffer;
}

/** Subject of a raw message, decoded, for naming it when it could not be copied. */
export function subjectOf(raw: Buffer): string {
  const value = rawHeaderField(raw, 'subject', 'utf8');
  if (value === null) return '';
  const folded = value.replace(/\s+/g, ' ').trim();
  // RFC 2047 encoded words (B and Q), UTF-8 and Latin-1 — enough to name a message in a report.
  // Space between two encoded words is not part of the text (RFC 2047, 6.2).
  return folded.replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=(?:\s+(?==\?))?/g, (_all, charset: string, enc: string, text: string) => {
    const bytes = enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
    return /utf-?8/i.test(charset) ? bytes.toString('utf8') : bytes.toString('latin1');
  });
}

/** Above this size a message is read from the archive as a stream (the archive keeps large ones as files). */
const STREAM_FROM = 4 * 1024 * 1024;

/** The raw bytes of an archived message. */
export async function readContent(archive: ArchiveApi, contentId: number, size: number): Promise<Buffer> {
  if (size < STREAM_FROM) return archive.readRaw(contentId);
  const chunks: Buffer[] = [];
  for await (const c of archive.openRaw(contentId) as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

/**
 * Flags to APPEND with: \Recent is the server's to set; \Deleted would let the destination's next expunge remove
 * what is being put back.
 */
function appendFlags(flags: string[]): string[] {
  return flags.filter((f) => f.toLowerCase() !== '\\recent' && f.toLowerCase() !== '\\deleted');
}

function checkAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new ArcheError('aborted', {});
}

/**
 * Content hashes of what the destination folder holds, for this plan. Recorded UIDs that still exist count without
 * a download; unrecorded UIDs are downloaded and hashed only while some planned message is still unaccounted for.
 * Messages found by hashing are recorded too (into `placed`), so that the next run needs no download at all.
 */
async function presentInFolder(
  client: ImapFlow,
  plan: DestinationPlan,
  known: CopyOptions['known'],
  placed: PlacedCopy[],
  archive: ArchiveApi,
  signal?: AbortSignal,
  foundByContent: PlacedCopy[] = [],
  keepCopies = false,
): Promise<{ present: Map<string, number>; count: number }> {
  const present = new Map<string, number>();
  const add = (hash: string): void => {
    present.set(hash, (present.get(hash) ?? 0) + 1);
  };
  const folder = await folderUids(client, plan.destination);
  if (!folder || folder.uids.length === 0) return { present, count: 0 };
  const count = folder.uids.length;
  const exists = new Set(folder.uids);
  const claimed = new Set<number>();
  for (const m of plan.messages) {
    const rec = known?.[`${m.contentId} ${plan.destination}`];
    if (rec && rec.uidValidity === folder.uidValidity && exists.has(rec.uid) && !claimed.has(rec.uid)) {
      add(m.normHash);
      claimed.add(rec.uid);
    }
  }
  const needed = copiesNeeded(plan.messages, keepCopies);
  const missing = (hash: string): number => (needed.get(hash) ?? 0) - (present.get(hash) ?? 0);
  if ([...needed.keys()].every((hash) => missing(hash) <= 0)) return { present, count };
  const others = folder.uids.filter((u) => !claimed.has(u));
  if (!others.length) return { present, count };
  const byHash = new Map<string, PlannedMessage>();
  for (const m of plan.messages) byHash.set(m.normHash, m);
  const rewritten: FoundMessage[] = [];
  for (const f of await hashDestinationFolder(client, plan.destination, signal, undefined, others)) {
    add(f.normHash);
    const m = byHash.get(f.normHash);
    if (m) {
      const at = { contentId: m.contentId, destination: plan.destination, uid: f.uid, uidValidity: folder.uidValidity };
      placed.push(at);
      foundByContent.push(at);
    } else if (f.neutralHash) rewritten.push(f);
  }
  // A server that added its own header fields (mbox servers, without UIDPLUS to record where copies went): the
  // same content once those fields are left out, with the same Message-ID (or none and the same date), is the same
  // message, already there (sameRewrittenMessage: the rule verification uses too).
  if (rewritten.length) {
    const keyOf = (id: string | null, date: number | null): string => (id ? `id ${id}` : `date ${date}`);
    const byKey = new Map<string, FoundMessage[]>();
    for (const f of rewritten) byKey.set(keyOf(f.messageId, f.internalDate), [...(byKey.get(keyOf(f.messageId, f.internalDate)) ?? []), f]);
    for (const m of byHash.values()) {
      if (missing(m.normHash) <= 0) continue;
      // A migration's backup leaves the parsed fields for later: the Message-ID is then read from the bytes.
      const raw = archive.readRaw(m.contentId);
      const id = normMessageId(m.messageId) ?? headerMessageId(raw);
      const candidates = byKey.get(keyOf(id, m.internalDate));
      if (!candidates?.length) continue;
      const expected = { messageId: id, neutralHash: neutralHash(raw), internalDate: m.internalDate };
      // As many as are missing: two identical messages of one folder are two copies there.
      for (let k = candidates.findIndex((f) => sameRewrittenMessage(expected, f)); k >= 0 && missing(m.normHash) > 0; k = candidates.findIndex((f) => sameRewrittenMessage(expected, f))) {
        const [f] = candidates.splice(k, 1);
        add(m.normHash);
        placed.push({ contentId: m.contentId, destination: plan.destination, uid: f.uid, uidValidity: folder.uidValidity });
      }
    }
  }
  return { present, count };
}

/**
 * How many copies of each content a destination folder should hold: two identical messages in one source folder
 * are two messages (as the server had them); the same message coming from two source folders merged into one
 * destination is one.
 */
function copiesNeeded(messages: PlannedMessage[], keepCopies: boolean): Map<string, number> {
  const perSource = new Map<string, number>();
  const needed = new Map<string, number>();
  for (const m of messages) {
    const k = keepCopies ? (perSource.get(`${m.normHash} ${m.sourceFolder}`) ?? 0) + 1 : 1;
    perSource.set(`${m.normHash} ${m.sourceFolder}`, k);
    needed.set(m.normHash, Math.max(needed.get(m.normHash) ?? 0, k));
  }
  return needed;
}

function hasUidPlus(client: ImapFlow): boolean {
  return (client as unknown as { capabilities?: Map<string, unknown> }).capabilities?.has('UIDPLUS') === true;
}

export async function copyPlanned(opts: CopyOptions, control: JobControl = {}): Promise<CopySummary> {
  const { archive, plans, signal } = { ...opts, signal: control.signal };
  const wait = opts.wait ?? abortableWait;
  const summary: CopySummary = { placed: [], copied: 0, skippedExisting: 0, failed: 0, failures: [], folders: [], notes: [], foundByContent: [] };
  /** Keywords the destination does not keep → the messages that had them (one note at the end). */
  const droppedKeywords = new Map<string, Set<number>>();
  const total = [...plans.values()].reduce((n, p) => n + p.messages.length, 0);
  const bytesTotal = [...plans.values()].reduce((n, p) => n + p.messages.reduce((b, m) => b + m.size, 0), 0);
  let done = 0;
  let bytesDone = 0;
  const started = Date.now();
  const progress = (folder: string, folderDone: number, folderTotal: number, notice?: ArcheErrorData): void => {
    const elapsed = (Date.now() - started) / 1000;
    const ratePerSec = elapsed > 0 ? done / elapsed : undefined;
    control.onProgress?.({
      job: opts.job ?? 'migrate', phase: 'copy', folder, folderDone, folderTotal, done, total, bytesDone, bytesTotal,
      ...(ratePerSec ? { ratePerSec, etaSeconds: Math.round((total - done) / ratePerSec) } : {}),
      ...(notice ? { notice } : {}),
    });
  };

  // One main connection; more are opened for large folders, up to what the provider accepts.
  const pool: ImapFlow[] = [await opts.connect()];
  let connectionCap = opts.connections ?? 1;
  // A dropped connection is re-opened, waiting a little longer each time the server cannot be reached; the user is
  // told (Keep's "connection-lost" words: "Arche reprend tout seul").
  let drops = 0;
  const reconnect = async (i: number): Promise<ImapFlow> => {
    pool[i].close();
    // Said at once: the user sees why the copy paused, and that Arche carries on by itself.
    progress('', done, total, { code: 'connection-lost', fields: { attempt: ++drops } });
    for (let attempt = 0; ; attempt++) {
      checkAborted(signal);
      try {
        pool[i] = await opts.connect();
        return pool[i];
      } catch (e) {
        if (attempt >= RECONNECT_WAITS_MS.length || (isArcheError(e) && !TRANSIENT.has(e.code))) throw e;
        await wait(RECONNECT_WAITS_MS[attempt], signal);
      }
    }
  };

  try {
    // Parents before children, so that servers which do not create intermediate folders still accept the children.
    const ordered = [...plans.values()].sort((a, b) => a.destination.length - b.destination.length || (a.destination < b.destination ? -1 : 1));
    const sep = separatorOf(pool[0]);
    const sizeLimit = opts.sizeLimit ?? appendLimitOf(pool[0]);
    for (const plan of ordered) {
      checkAborted(signal);
      const folderTotal = plan.messages.length;
      let folderDone = 0;
      let folderCopied = 0;
      progress(plan.destination, 0, folderTotal);

      // A parent that receives nothing itself is created as a container, so that its children can be created.
      const container = plan.messages.length === 0 && ordered.some((o) => o.destination.startsWith(plan.destination + sep));
      let main = pool[0];
      let ready: FolderReady | null = null;
      for (let attempt = 0; ready === null; attempt++) {
        try {
          ready = await prepareFolder(main, plan.destination, container);
        } catch (e) {
          if (attempt >= MAX_RECONNECTS) throw e;
          main = await reconnect(0);
        }
      }
      if (!ready.ok) {
        // Said once, for the folder, with the server's words and a name to try; its messages are counted as not
        // copied, each with that same reason (never a puzzling per-message "mailbox does not exist").
        const fields = { folder: plan.destination, detail: ready.detail, proposed: ready.proposed, count: plan.messages.length };
        summary.notes.push({ code: 'move-folder-refused', fields });
        for (const m of plan.messages) {
          summary.failures.push({ sourceFolder: m.sourceFolder, destination: plan.destination, contentId: m.contentId, normHash: m.normHash, reason: { code: 'move-folder-refused', fields: { ...fields, subject: subjectOf(archive.readRaw(m.contentId).subarray(0, 65536)) } } });
          summary.failed++;
          done++;
        }
        summary.folders.push({ source: plan.sources.join(', '), destination: plan.destination, copied: 0 });
        continue;
      }
      // Identical to a message queued just before: settled once we know whether that one went.
      let twins: PlannedMessage[] = [];
      // Contents this run's parallel pass appended (answered OK): found there by the second pass, they are copies made
      // now, not mail the new mailbox already had (every figure adds up: "copied now", never "already there").
      const appendedNow = new Map<string, number>();
      // A second pass only when the server lost parallel APPENDs (then with one connection).
      for (let pass = 0; ; pass++) {
        const before = { copied: summary.copied, skippedExisting: summary.skippedExisting, failed: summary.failed, failures: summary.failures.length, placed: summary.placed.length, foundByContent: summary.foundByContent.length, done, bytesDone };
        // What the destination already holds: the guard against any second copy. Messages an earlier run recorded
        // (APPENDUID) are proven by their UID; everything else in the folder is fingerprinted by content.
        let found: { present: Map<string, number>; count: number } | null = null;
        for (let attempt = 0; found === null; attempt++) {
          try {
            found = await presentInFolder(main, plan, opts.known, summary.placed, archive, signal, summary.foundByContent, opts.keepCopies);
          } catch (e) {
            if (isArcheError(e) || attempt >= MAX_RECONNECTS) throw e;
            main = await reconnect(0);
          }
        }
        const present = found.present;

        // Decide per message: already there (same content), too big, or to copy (each content once).
        // The k-th identical copy within one source folder is there when the destination holds k of that content, and
        // is covered by a copy already queued from another source folder when present + queued reach k.
        const toCopy: PlannedMessage[] = [];
        const queued = new Map<string, number>();
        const nth = new Map<string, number>();
        twins = [];
        for (const m of plan.messages) {
          const k = opts.keepCopies ? (nth.get(`${m.normHash} ${m.sourceFolder}`) ?? 0) + 1 : 1;
          nth.set(`${m.normHash} ${m.sourceFolder}`, k);
          const there = present.get(m.normHash) ?? 0;
          if (k > there && k <= there + (queued.get(m.normHash) ?? 0)) {
            twins.push(m);
            continue;
          }
          if (k <= there && (appendedNow.get(m.normHash) ?? 0) > 0) {
            appendedNow.set(m.normHash, appendedNow.get(m.normHash)! - 1);
            const at = summary.foundByContent.findIndex((f, i) => i >= before.foundByContent && f.contentId === m.contentId && f.destination === plan.destination);
            if (at >= 0) summary.foundByContent.splice(at, 1);
            summary.copied++;
            folderCopied++;
            folderDone++;
            done++;
            bytesDone += m.size;
            continue;
          }
          if (k <= there) {
            summary.skippedExisting++;
            folderDone++;
            done++;
            bytesDone += m.size;
            continue;
          }
          if (sizeLimit && m.size > sizeLimit) {
            const subject = subjectOf(archive.readRaw(m.contentId).subarray(0, 65536));
            summary.failures.push({ sourceFolder: m.sourceFolder, destination: plan.destination, contentId: m.contentId, normHash: m.normHash, reason: { code: 'move-too-big', fields: { subject, size: m.size, folder: m.sourceFolder, limit: sizeLimit } } });
            summary.failed++;
            folderDone++;
            done++;
            continue;
          }
          queued.set(m.normHash, (queued.get(m.normHash) ?? 0) + 1);
          toCopy.push(m);
        }
        if (folderDone) progress(plan.destination, folderDone, folderTotal);

        // Several connections for a big folder; one is enough for a small one.
        // Not for a server without UIDPLUS: those are the minimal ones (GNU imap4d, mbox) where writers on several
        // connections were seen to lose APPENDs they had answered OK, and, with no APPENDUID, nothing tells which.
        if (!hasUidPlus(pool[0])) connectionCap = 1;
        let lanes = Math.max(1, Math.min(connectionCap, Math.ceil(toCopy.length / 50)));
        while (pool.length < lanes) {
          try {
            pool.push(await opts.connect());
          } catch {
            // The provider limits connections per user (Gmail, Mailo...): carry on with the ones already open.
            lanes = connectionCap = pool.length;
          }
        }
        let next = 0;
        /** The next messages for one APPEND: one, or several (MULTIAPPEND) bounded by count and bytes. */
        const takeBatch = (c: ImapFlow): PlannedMessage[] => {
          const first = toCopy[next];
          if (!first) return [];
          next++;
          const batch = [first];
          if (!canMultiAppend(c) || first.size >= STREAM_FROM) return batch;
          let bytes = first.size;
          for (let m = toCopy[next]; m && batch.length < MULTI_MESSAGES && m.size < STREAM_FROM && bytes + m.size <= MULTI_BYTES; m = toCopy[next]) {
            batch.push(m);
            bytes += m.size;
            next++;
          }
          return batch;
        };
        const counted = (m: PlannedMessage): void => {
          folderDone++;
          done++;
          bytesDone += m.size;
        };
        const lane = async (i: number): Promise<void> => {
          const conn = { c: pool[i] };
          for (;;) {
            checkAborted(signal);
            const batch = takeBatch(conn.c);
            if (!batch.length) return;
            const items: Item[] = [];
            for (const m of batch) items.push({ m, raw: await readContent(archive, m.contentId, m.size) });
            // Several at once when the server takes them. A MULTIAPPEND is all or nothing: what it could not store goes
            // one by one, which says which message was refused, and why.
            const left = items.length > 1 ? (await store(i, conn, items)).left : items;
            for (const it of left) {
              const { refusal } = await store(i, conn, [it]);
              if (refusal) refused(it, refusal);
            }
            for (const it of items) counted(it.m);
            progress(plan.destination, folderDone, folderTotal);
          }
        };
        /**
         * Sends the items in one APPEND (one item) or one MULTIAPPEND (several) until the server stores them. After a
         * dropped connection, what the destination already holds is taken out first (the command may have been stored
         * before the drop: never a second copy); a throttled command waits and goes again. Returns what is left, with
         * the server's refusal (none when several items could not go as one command).
         */
        const store = async (i: number, conn: { c: ImapFlow }, items: Item[]): Promise<{ left: Item[]; refusal: AppendErrorKind | null }> => {
          let pending = items;
          let throttled = 0;
          let reconnects = 0;
          while (pending.length) {
            if (pending.length > 1 && !canMultiAppend(conn.c)) return { left: pending, refusal: null };
            try {
              // Never into a folder this connection selected read-only; and only the flags the folder keeps.
              const permanent = await openForAppend(conn.c, plan.destination);
              const sent = pending.map(({ m, raw }) => ({ raw: withCrlf(raw), flags: flagsFor(m, permanent), internalDate: new Date(m.internalDate) }));
              const where = sent.length > 1 ? await multiAppend(conn.c, plan.destination, sent) : await appendSingle(conn.c, sent[0]);
              pending.forEach(({ m }, k) => {
                if (where) summary.placed.push({ contentId: m.contentId, destination: plan.destination, uid: where.uids[k], uidValidity: where.uidValidity });
                summary.copied++;
                folderCopied++;
                if (pass === 0) appendedNow.set(m.normHash, (appendedNow.get(m.normHash) ?? 0) + 1);
              });
              return { left: [], refusal: null };
            } catch (e) {
              const kind = classifyAppendError(e, conn.c.usable);
              if (kind.kind === 'connection' && reconnects++ < MAX_RECONNECTS) {
                conn.c = await reconnect(i);
                const there = new Set((await hashDestinationFolder(conn.c, plan.destination, signal)).map((x) => x.normHash));
                summary.skippedExisting += pending.filter(({ m }) => there.has(m.normHash)).length;
                pending = pending.filter(({ m }) => !there.has(m.normHash));
                continue;
              }
              if (kind.kind === 'throttled' && throttled++ < MAX_THROTTLE_RETRIES) {
                await throttleWait(kind.waitMs, throttled);
                continue;
              }
              return { left: pending, refusal: kind };
            }
          }
          return { left: [], refusal: null };
        };
        /** The message's flags the destination keeps; the others are noted for the report. */
        const flagsFor = (m: PlannedMessage, permanent: Set<string> | null): string[] => {
          const { send, dropped } = keptFlags(appendFlags(m.flags), permanent);
          for (const k of dropped) {
            const set = droppedKeywords.get(k) ?? new Set<number>();
            set.add(m.contentId);
            droppedKeywords.set(k, set);
          }
          return send;
        };
        /** imapflow's APPEND, its answer put the way multiAppend gives it. */
        const appendSingle = async (c: ImapFlow, { raw, flags, internalDate }: { raw: Buffer; flags: string[]; internalDate: Date }): Promise<MultiAppendResult | null> => {
          const res = await c.append(plan.destination, raw, flags, internalDate);
          return res && res.uid && res.uidValidity ? { uidValidity: Number(res.uidValidity), uids: [res.uid] } : null;
        };
        const throttleWait = async (hint: number | null, attempt: number): Promise<void> => {
          const ms = throttleDelayMs(hint, attempt);
          const at = new Date(Date.now() + ms);
          // Each language's own way ("7 h 36" / "07:36"), from the one formatter.
          progress(plan.destination, folderDone, folderTotal, { code: 'move-throttled', fields: { at: formatClock(at, 'en'), seconds: Math.round(ms / 1000) } });
          await wait(ms, signal);
          checkAborted(signal);
        };
        /** A message the destination would not take: listed with the server's reason, in plain words. */
        const refused = ({ m, raw }: Item, kind: AppendErrorKind): void => {
          const reason: ArcheErrorData =
            kind.kind === 'quota' ? { code: 'move-quota-full', fields: { subject: subjectOf(raw), folder: m.sourceFolder } }
            : kind.kind === 'too-big' ? { code: 'move-too-big', fields: { subject: subjectOf(raw), folder: m.sourceFolder, size: m.size } }
            // APPEND cannot resume inside a message: one the connection never let through is named, the move goes on.
            : kind.kind === 'connection' ? { code: 'move-append-cut', fields: { subject: subjectOf(raw), folder: m.sourceFolder, size: m.size } }
            : { code: 'move-append-refused', fields: { subject: subjectOf(raw), folder: m.sourceFolder, detail: kind.kind === 'refused' ? kind.detail : '' } };
          summary.failures.push({ sourceFolder: m.sourceFolder, destination: plan.destination, contentId: m.contentId, normHash: m.normHash, reason });
          summary.failed++;
        };
        await Promise.all(Array.from({ length: lanes }, (_, i) => lane(i)));
        const copiedNow = summary.copied - before.copied;
        // Every APPEND answered OK, but did the server keep them all? GNU imap4d, written to from two connections at
        // once, kept 24 of 72. Counted once after a parallel copy; if some were lost, the folder is done again on one
        // connection (what is there is found by content first: nothing twice), and the user is told why it is slower.
        if (lanes > 1 && pass === 0 && copiedNow > 0) {
          const st = await pool[0].status(plan.destination, { messages: true }).catch(() => false as const);
          const kept = st && typeof st.messages === 'number' ? st.messages : null;
          if (kept !== null && kept < found.count + copiedNow) {
            summary.notes.push({ code: 'move-parallel-lost', fields: { folder: plan.destination, lost: found.count + copiedNow - kept } });
            progress(plan.destination, folderDone, folderTotal, { code: 'move-parallel-lost', fields: { folder: plan.destination, lost: found.count + copiedNow - kept } });
            connectionCap = 1;
            for (const c of pool.splice(1)) await c.logout().catch(() => c.close());
            summary.copied = before.copied;
            summary.skippedExisting = before.skippedExisting;
            summary.failed = before.failed;
            summary.failures.length = before.failures;
            summary.placed.length = before.placed;
            summary.foundByContent.length = before.foundByContent;
            done = before.done;
            bytesDone = before.bytesDone;
            folderDone = 0;
            folderCopied = 0;
            main = pool[0];
            continue;
          }
        }
        break;
      }
      for (const t of twins) {
        const failure = summary.failures.find((f) => f.destination === plan.destination && f.normHash === t.normHash);
        if (failure) {
          summary.failures.push({ ...failure, sourceFolder: t.sourceFolder, contentId: t.contentId });
          summary.failed++;
        } else summary.skippedExisting++;
        folderDone++;
        done++;
        bytesDone += t.size;
      }
      summary.folders.push({ source: plan.sources.join(', '), destination: plan.destination, copied: folderCopied });
      opts.onFolderDone?.(plan.destination, folderCopied);
    }
    if (droppedKeywords.size) {
      const messages = new Set([...droppedKeywords.values()].flatMap((x) => [...x])).size;
      summary.notes.push({ code: 'move-keywords-dropped', fields: { keywords: [...droppedKeywords.keys()].join(', '), count: messages } });
    }
  } finally {
    await Promise.all(pool.map((c) => c.logout().catch(() => c.close())));
  }
  return summary;
}

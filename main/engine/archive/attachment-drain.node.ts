/**
 * The text inside attachments, indexed after the messages are safely stored: messages wait in `attachment_queue`
 * (filled when a message with a readable attachment is indexed, and by migration 008 for older archives), newest
 * first, and a worker thread reads them one message at a time. Each attachment has a time limit (the worker is
 * terminated when one takes longer) and the worker a heap limit (resourceLimits: the thread dies, the process does
 * not); either way that attachment is counted as unreadable and the message's other attachments are read in a new
 * worker. Resumable: one message is one transaction that also takes it off the queue; stopping (the signal, the
 * process ending) loses at most the message being read.
 */
import { Worker } from 'node:worker_threads';
import type { Db } from './db.node.ts';
import type { MessageMeta } from './archive.types.std.ts';
import type { UnreadableReason } from './attachment-text.node.ts';
import { attachmentKind } from './attachment-kind.std.ts';
import { foldText } from './fold.std.ts';
import { stemText } from './stem.std.ts';
import type { IndexWriter } from './index-write.node.ts';
import { makePreview } from './index-write.node.ts';
import { workerEntry } from '../base/worker-path.node.ts';

export interface AttachmentRequest {
  raw: Uint8Array;
  /** Attachments (postal-mime's order) already read or given up: not read again. */
  skip: number[];
}
export type AttachmentReply =
  | { type: 'begin'; index: number; filename: string }
  | { type: 'text'; index: number; filename: string; text: string }
  | { type: 'failed'; index: number; filename: string; reason: UnreadableReason }
  | { type: 'end'; meta: MessageMeta };

export interface AttachmentDrainControl {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Time one attachment may take (ms). */
  timeMs?: number;
  /** The worker's heap (old generation, MB). */
  heapMb?: number;
}

/** Enough for a 40 MB PDF of text on a slow machine; a file that loops is stopped here. */
export const ATTACHMENT_TIME_MS = 30_000;
/** A worker's heap: a 40 MB attachment decoded and its text, several times over; a swelling file dies here. */
export const ATTACHMENT_HEAP_MB = 256;

interface Outcome {
  meta: MessageMeta | null;
  texts: { filename: string; text: string }[];
  failures: { filename: string; reason: UnreadableReason }[];
}

/** One worker, started when needed and again after it was stopped. */
class Reader {
  private worker: Worker | null = null;
  constructor(private readonly heapMb: number) {}

  /** Has the current worker started running its code? A worker that never does is missing, not a bad attachment. */
  private online = false;

  private start(): Worker {
    const { file, options } = workerEntry('attachment.worker', new URL('./attachment.worker.ts', import.meta.url).pathname);
    const w = new Worker(file, { ...options, resourceLimits: { maxOldGenerationSizeMb: this.heapMb, maxYoungGenerationSizeMb: 16, ...options.resourceLimits } });
    this.online = false;
    w.once('online', () => (this.online = true));
    w.unref(); // never keeps a finished CLI alive
    return w;
  }

  /**
   * Reads one message; the attachments it could not read are in failures, never thrown. null: stopped (the signal),
   * or no worker could run (its code missing from this build): the message stays queued, nothing is counted.
   */
  async read(raw: Buffer, timeMs: number, signal?: AbortSignal): Promise<Outcome | null> {
    const out: Outcome = { meta: null, texts: [], failures: [] };
    const skip: number[] = [];
    for (;;) {
      const w = (this.worker ??= this.start());
      const ended = await new Promise<'end' | 'aborted' | { index: number; filename: string; reason: UnreadableReason } | { index: -1; filename: ''; reason: UnreadableReason }>((resolve) => {
        let current: { index: number; filename: string } | null = null;
        let timer: NodeJS.Timeout | null = null;
        const arm = (): void => {
          if (timer) clearTimeout(timer);
          timer = setTimeout(() => finish(current ? { ...current, reason: 'timeout' } : { index: -1, filename: '', reason: 'timeout' }), timeMs);
        };
        const finish = (r: Parameters<typeof resolve>[0]): void => {
          if (timer) clearTimeout(timer);
          w.off('message', onMessage);
          w.off('error', onError);
          w.off('exit', onExit);
          signal?.removeEventListener('abort', onAbort);
          if (r !== 'end') {
            void w.terminate();
            this.worker = null;
          }
          resolve(r);
        };
        const onMessage = (m: AttachmentReply): void => {
          if (m.type === 'begin') {
            current = { index: m.index, filename: m.filename };
            arm();
          } else if (m.type === 'text' || m.type === 'failed') {
            skip.push(m.index);
            current = null;
            if (m.type === 'text') out.texts.push({ filename: m.filename, text: m.text });
            else out.failures.push({ filename: m.filename, reason: m.reason });
            arm();
          } else {
            out.meta = m.meta;
            finish('end');
          }
        };
        const onError = (e: Error & { code?: string }): void => {
          if (!this.online && !current) return finish('aborted');
          const reason: UnreadableReason = e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'malformed';
          finish(current ? { ...current, reason } : { index: -1, filename: '', reason });
        };
        const onExit = (): void => onError(new Error('worker ended'));
        const onAbort = (): void => finish('aborted');
        w.on('message', onMessage);
        w.on('error', onError);
        w.on('exit', onExit);
        signal?.addEventListener('abort', onAbort);
        arm();
        const copy = new Uint8Array(raw.byteLength);
        copy.set(raw);
        w.postMessage({ raw: copy, skip } satisfies AttachmentRequest, [copy.buffer]);
      });
      if (ended === 'end') return out;
      if (ended === 'aborted') return null;
      if (ended.index < 0) return out; // the message itself could not be read: meta stays null
      out.failures.push({ filename: ended.filename, reason: ended.reason });
      skip.push(ended.index);
    }
  }

  async close(): Promise<void> {
    await this.worker?.terminate().catch(() => 0);
    this.worker = null;
  }
}

export interface AttachmentIndex {
  /** Messages whose attachments wait to be read. */
  queued(): number;
  /** Attachments that could not be read (too large, a zip bomb, encrypted, broken, too slow): in the whole archive or one account. */
  unreadable(accountId?: number): number;
  drain(control?: AttachmentDrainControl): Promise<{ done: number; unreadable: number }>;
}

export function attachmentIndex(db: Db, readRaw: (contentId: number) => Buffer, index: IndexWriter): AttachmentIndex {
  const q = {
    count: db.prepare('SELECT count(*) FROM attachment_queue').pluck(),
    next: db.prepare('SELECT content_id FROM attachment_queue ORDER BY content_id DESC LIMIT 1').pluck(),
    metaAttachments: db.prepare('SELECT attachments FROM meta WHERE content_id = ?').pluck(),
    oldTexts: db.prepare('SELECT id FROM attachment_texts WHERE content_id = ?').pluck(),
    delFts: db.prepare('DELETE FROM att_fts WHERE rowid = ?'),
    delTexts: db.prepare('DELETE FROM attachment_texts WHERE content_id = ?'),
    delUnreadable: db.prepare('DELETE FROM attachment_unreadable WHERE content_id = ?'),
    insText: db.prepare('INSERT INTO attachment_texts (content_id, filename, preview) VALUES (?, ?, ?)'),
    insFts: db.prepare('INSERT INTO att_fts (rowid, text, stems) VALUES (?, ?, ?)'),
    insUnreadable: db.prepare('INSERT INTO attachment_unreadable (content_id, filename, reason, at) VALUES (?, ?, ?, ?)'),
    dequeue: db.prepare('DELETE FROM attachment_queue WHERE content_id = ?'),
    unreadableAll: db.prepare('SELECT count(*) FROM attachment_unreadable').pluck(),
    unreadableOf: db.prepare(
      `SELECT count(*) FROM attachment_unreadable WHERE content_id IN
         (SELECT p.content_id FROM placements p JOIN folders f ON f.id = p.folder_id WHERE f.account_id = ?)`,
    ).pluck(),
  };

  const write = db.transaction((id: number, o: Outcome) => {
    for (const old of q.oldTexts.all(id) as number[]) q.delFts.run(old);
    q.delTexts.run(id);
    q.delUnreadable.run(id);
    const now = Date.now();
    let failures = o.failures;
    if (o.meta) {
      for (const t of o.texts) {
        if (!t.text) continue;
        const rowid = Number(q.insText.run(id, t.filename, makePreview(t.text)).lastInsertRowid);
        q.insFts.run(rowid, foldText(t.text), stemText(t.text));
      }
      index.rewrite(id, o.meta, o.texts.map((t) => t.text).join('\n'));
    } else {
      // the message could not be parsed at all: its older entry stays, and each readable-looking attachment counts
      const listed = JSON.parse((q.metaAttachments.get(id) as string | undefined) ?? '[]') as { filename: string; contentType: string }[];
      failures = listed.filter((a) => attachmentKind(a.filename, a.contentType)).map((a) => ({ filename: a.filename, reason: o.failures[0]?.reason ?? 'malformed' }));
    }
    for (const f of failures) q.insUnreadable.run(id, f.filename, f.reason, now);
    q.dequeue.run(id);
    return failures.length;
  });

  return {
    queued: () => q.count.get() as number,
    unreadable: (accountId) => (accountId === undefined ? q.unreadableAll.get() : q.unreadableOf.get(accountId)) as number,
    async drain(control = {}) {
      const total = q.count.get() as number;
      let done = 0;
      let unreadable = 0;
      if (!total) return { done, unreadable };
      const reader = new Reader(control.heapMb ?? ATTACHMENT_HEAP_MB);
      try {
        while (!control.signal?.aborted) {
          const id = q.next.get() as number | undefined;
          if (id === undefined) break;
          let raw: Buffer;
          try {
            raw = readRaw(id);
          } catch {
            // bytes that cannot be read: `check` reports the damage; the message leaves the queue uncounted here
            q.dequeue.run(id);
            continue;
          }
          const o = await reader.read(raw, control.timeMs ?? ATTACHMENT_TIME_MS, control.signal);
          if (!o) break; // stopped: this message stays queued
          unreadable += write.immediate(id, o);
          done++;
          control.onProgress?.(done, total);
        }
      } finally {
        await reader.close();
      }
      return { done, unreadable };
    },
  };
}

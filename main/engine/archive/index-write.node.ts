/**
 * Writes one content's search metadata: the `meta` row (what result lists show) and its FTS row (rowid = content id).
 * Called inside the caller's transaction, so a content and its index entry appear together or not at all.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './db.node.ts';
import type { MessageMeta } from './archive.types.std.ts';
import { foldText } from './fold.std.ts';
import { stemText } from './stem.std.ts';
import { attachmentKind } from './attachment-kind.std.ts';

/** Characters of body text kept beside the index, to build result snippets without re-reading the message. */
export const PREVIEW_CHARS = 1500;

export function makePreview(text: string): string {
  // The first PREVIEW_CHARS characters of the text with its blanks squeezed. Squeezing a prefix gives a prefix of the
  // squeezed whole, so growing prefixes are tried (most texts need only the first); once the squeezed prefix holds
  // more than PREVIEW_CHARS characters, its start is the answer. The whole text is squeezed only when it must be.
  for (let n = PREVIEW_CHARS + 500; n < text.length; n *= 4) {
    const short = text.slice(0, n).replace(/\s+/g, ' ').trimStart();
    if (short.length > PREVIEW_CHARS) return short.slice(0, PREVIEW_CHARS);
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, PREVIEW_CHARS);
}

/** One content's FTS row: its rowid (the content id) then the columns of the INSERT below. */
export type IndexRow = [number, ...string[]];

export interface IndexWriter {
  hasMeta(contentId: number): boolean;
  /**
   * Writes the meta row (and the attachment queue's) now, and returns the FTS row for writeRows: a caller storing a
   * batch writes all its FTS rows last, together (see writeRows).
   */
  writeMeta(contentId: number, meta: MessageMeta, fallbackDate: number | null): IndexRow;
  /**
   * FTS rows in as few statements as possible, to be the caller's last writes in its transaction. FTS5 writes what
   * it holds in memory to a new segment on disk whenever another statement of the transaction opens a savepoint
   * (an INSERT with triggers or constraints does): rows written one by one between the other inserts made one
   * segment per message, then merged again and again, and that was most of a backup's SQLite time (profiled).
   */
  writeRows(rows: IndexRow[]): void;
  /**
   * Replaces a content's index row and preview with those of `meta` (re-indexing with a newer extractor), with the
   * text read inside its attachments when given (attachment-drain). Not given: a message whose attachments had been
   * read goes back to the attachment queue, since the index row that held their words is made anew.
   */
  rewrite(contentId: number, meta: MessageMeta, attachmentText?: string): void;
}

/** The index row's columns after the rowid, in the order of the INSERT below (migration 007). */
function ftsValues(m: MessageMeta, attachmentText = ''): string[] {
  const names = m.attachments.map((a) => a.filename).filter(Boolean);
  const copies = m.bcc ? `${m.cc}, ${m.bcc}` : m.cc;
  return [
    foldText(m.subject),
    foldText(m.from),
    foldText(m.to),
    foldText(copies),
    foldText(m.text),
    foldText(names.join(' ')),
    // stems of what a reader reads (subject, text, attachments' text), not of addresses or file names; the parse
    // worker computed those of the subject and text already (m.stems) unless attachment text joins them
    attachmentText ? stemText(m.subject, m.text, attachmentText) : (m.stems ?? stemText(m.subject, m.text)),
    foldText(attachmentText),
  ];
}

/** Has the message an attachment whose text Arche reads (attachment-kind.std.ts)? Then it waits in the queue. */
export function hasReadableAttachment(m: MessageMeta): boolean {
  return m.attachments.some((a) => attachmentKind(a.filename, a.contentType) !== null);
}

export function indexWriter(db: Db): IndexWriter {
  const has = db.prepare('SELECT 1 FROM meta WHERE content_id = ?').pluck();
  const insMeta = db.prepare(
    `INSERT INTO meta (content_id, message_id, date, from_text, to_text, cc_text, subject, attachments, has_attachment, preview)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insFts = db.prepare('INSERT INTO fts (rowid, subject, sender, recipients, cc, body, filenames, stems, attachment_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const queue = db.prepare('INSERT OR IGNORE INTO attachment_queue (content_id) VALUES (?)');
  const hadTexts = db.prepare('SELECT 1 FROM attachment_texts WHERE content_id = ? LIMIT 1').pluck();
  const delFts = db.prepare('DELETE FROM fts WHERE rowid = ?');
  // Multi-row INSERTs, one prepared statement per row count (a batch is at most a few hundred messages); values
  // are bound exactly as the one-row INSERT binds them.
  const COLUMNS = 9;
  const MAX_ROWS = 200;
  const insMany = new Map<number, Statement>();
  const insRows = (n: number): Statement => {
    let st = insMany.get(n);
    if (!st) {
      const values = Array.from({ length: n }, () => `(${Array(COLUMNS).fill('?').join(', ')})`).join(', ');
      st = db.prepare(`INSERT INTO fts (rowid, subject, sender, recipients, cc, body, filenames, stems, attachment_text) VALUES ${values}`);
      insMany.set(n, st);
    }
    return st;
  };
  function writeMeta(id: number, m: MessageMeta, fallbackDate: number | null): IndexRow {
    insMeta.run(
      id,
      m.messageId,
      m.date ?? fallbackDate,
      m.from,
      m.to,
      m.cc,
      m.subject,
      JSON.stringify(m.attachments),
      m.attachments.length > 0 ? 1 : 0,
      makePreview(m.text),
    );
    if (hasReadableAttachment(m)) queue.run(id);
    return [id, ...ftsValues(m)];
  }
  const setPreview = db.prepare('UPDATE meta SET preview = ? WHERE content_id = ?');
  return {
    hasMeta: (id) => has.get(id) !== undefined,
    writeMeta,
    writeRows(rows) {
      for (let i = 0; i < rows.length; i += MAX_ROWS) {
        const part = rows.slice(i, i + MAX_ROWS);
        if (part.length === 1) insFts.run(...part[0]);
        else insRows(part.length).run(...part.flat());
      }
    },
    rewrite(id, m, attachmentText) {
      delFts.run(id);
      insFts.run(id, ...ftsValues(m, attachmentText));
      setPreview.run(makePreview(m.text), id);
      if (attachmentText === undefined && hadTexts.get(id) !== undefined) queue.run(id);
    },
  };
}

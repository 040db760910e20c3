/**
 * Migration 8: the text inside attachments (issue 14).
 * - `attachment_queue`: messages whose attachments wait to be read (attachment-drain.node.ts), filled here with
 *   every stored message that has an attachment Arche reads (by file extension or MIME type, the one list of
 *   attachment-kind.std.ts), and later when such a message is indexed. Search keeps answering meanwhile: the
 *   queue is drained in the background, newest first, and resumes where it stopped.
 * - The words go into the index's `attachment_text` column (made empty by migration 007) and its stems into `stems`;
 *   `attachment_texts` + `att_fts` (one row per attachment read: its name and first words, and a contentless index
 *   of its text) say in which attachment a word was found, for the results ("dans la pièce jointe « … »").
 * - `attachment_unreadable`: attachments that could not be read (too large, a zip bomb, encrypted, broken, too slow),
 *   counted in the backup's summary, never hidden.
 */
import type { Migration } from './migration.std.ts';
import { KIND_OF_EXTENSION, KIND_OF_TYPE } from '../attachment-kind.std.ts';

const quoted = (xs: string[]): string => xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(', ');
/** lower(file extension) of json_each's `filename`, in SQL: what follows the last dot when it is short. */
const EXTENSION = `lower(CASE WHEN instr(replace(j.value ->> '$.filename', '.', '/'), '/') = 0 THEN ''
  ELSE replace(j.value ->> '$.filename', rtrim(j.value ->> '$.filename', replace(j.value ->> '$.filename', '.', '')), '') END)`;
const TYPE = `lower(trim(substr(j.value ->> '$.contentType', 1, instr((j.value ->> '$.contentType') || ';', ';') - 1)))`;

export const migration008: Migration = {
  version: 8,
  name: 'attachment-text',
  sql: `
CREATE TABLE attachment_queue (content_id INTEGER PRIMARY KEY REFERENCES contents(id));
CREATE TABLE attachment_texts (
  id INTEGER PRIMARY KEY,
  content_id INTEGER NOT NULL REFERENCES contents(id),
  filename TEXT NOT NULL,
  preview TEXT NOT NULL
);
CREATE INDEX attachment_texts_content ON attachment_texts (content_id);
CREATE VIRTUAL TABLE att_fts USING fts5 (
  text, stems,
  content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE attachment_unreadable (
  content_id INTEGER NOT NULL REFERENCES contents(id),
  filename TEXT NOT NULL,
  reason TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX attachment_unreadable_content ON attachment_unreadable (content_id);
INSERT INTO attachment_queue (content_id)
  SELECT m.content_id FROM meta m WHERE m.has_attachment = 1 AND EXISTS (
    SELECT 1 FROM json_each(m.attachments) j
    WHERE ${EXTENSION} IN (${quoted(Object.keys(KIND_OF_EXTENSION))}) OR ${TYPE} IN (${quoted(Object.keys(KIND_OF_TYPE))}));
`,
};

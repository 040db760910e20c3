/**
 * Migration 7: every word a reader may see, and word stems.
 * - The index gets a `stems` column (French and English stems of the subject and text: "régate" finds "régates")
 *   and an `attachment_text` column, kept empty for now, for the text inside attachments (issue 14, later).
 *   An FTS5 table cannot gain columns, so it is made anew.
 * - It is filled at once from what the database already holds (subject, addresses, file names, the 1,500-character
 *   preview, ligatures spelled out as fold.std.ts does), so search keeps working; each message is then indexed again from its stored bytes in the background
 *   (the `reindex` queue, newest first, resumable: a row leaves the queue in the transaction that rewrites its entry),
 *   which adds the HTML version's words, forwarded messages, blind copies and the stems.
 */
import type { Migration } from './migration.std.ts';
import { foldTextSql } from '../fold.std.ts';

export const migration007: Migration = {
  version: 7,
  name: 'visible-text',
  sql: `
DROP TABLE fts;
CREATE VIRTUAL TABLE fts USING fts5 (
  subject, sender, recipients, cc, body, filenames, stems, attachment_text,
  content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO fts (rowid, subject, sender, recipients, cc, body, filenames)
  SELECT content_id, ${foldTextSql('subject')}, ${foldTextSql('from_text')}, ${foldTextSql('to_text')}, ${foldTextSql('cc_text')},
    ${foldTextSql('preview')},
    ${foldTextSql("coalesce((SELECT group_concat(json_extract(j.value, '$.filename'), ' ') FROM json_each(meta.attachments) j), '')")}
  FROM meta;
CREATE TABLE reindex (content_id INTEGER PRIMARY KEY REFERENCES contents(id));
INSERT INTO reindex (content_id) SELECT content_id FROM meta;
`,
};

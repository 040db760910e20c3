/**
 * Migration 2: what search needs. One metadata row per content (a content without one is waiting to be indexed),
 * and a contentless FTS5 index (rowid = content id) so the index costs a fraction of the mail it covers;
 * snippets are built from the stored preview, not from a copy of every body.
 */
import type { Migration } from './migration.std.ts';

export const migration002: Migration = {
  version: 2,
  name: 'search',
  sql: `
CREATE TABLE meta (
  content_id INTEGER PRIMARY KEY REFERENCES contents(id),
  message_id TEXT,
  date INTEGER,
  from_text TEXT NOT NULL,
  to_text TEXT NOT NULL,
  cc_text TEXT NOT NULL,
  subject TEXT NOT NULL,
  attachments TEXT NOT NULL,
  has_attachment INTEGER NOT NULL,
  preview TEXT NOT NULL
);
CREATE INDEX meta_date ON meta (date);
CREATE INDEX meta_message_id ON meta (message_id);
CREATE VIRTUAL TABLE fts USING fts5 (
  subject, sender, recipients, cc, body, filenames,
  content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
);
`,
};

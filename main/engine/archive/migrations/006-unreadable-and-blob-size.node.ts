/**
 * Migration 6.
 * - `unreadable`: messages the server listed but did not hand over whole (a FETCH answer without the body, a body
 *   shorter or longer than the RFC822.SIZE it announced). Recorded in the same transaction as the folder cursor that
 *   passes them, so they are never forgotten: each backup asks for them again, and after a few tries they are named
 *   to the user (subject, date, folder). A row goes away when the message is stored or the server no longer has it.
 * - `contents.stored_size`: the size of a blob file as written (compressed or not). A file of another size (a power
 *   cut, a disk error, a hand edit) is not trusted: the message is fetched again. NULL for rows written before:
 *   checked once by hash, then filled in.
 */
import type { Migration } from './migration.std.ts';

export const migration006: Migration = {
  version: 6,
  name: 'unreadable-and-blob-size',
  sql: `
CREATE TABLE unreadable (
  folder_id INTEGER NOT NULL REFERENCES folders(id),
  uidvalidity INTEGER NOT NULL,
  uid INTEGER NOT NULL,
  tries INTEGER NOT NULL,
  reason TEXT NOT NULL,
  subject TEXT,
  date INTEGER,
  size INTEGER,
  first_at INTEGER NOT NULL,
  last_at INTEGER NOT NULL,
  PRIMARY KEY (folder_id, uidvalidity, uid)
);
ALTER TABLE contents ADD COLUMN stored_size INTEGER;
`,
};

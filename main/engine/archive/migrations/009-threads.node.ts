/**
 * Migration 9: conversations (issue 14). Each message's Message-ID, In-Reply-To and References are kept
 * (`threads`, one row per content), and every identifier ever named, even of a message the archive never held
 * (a missing parent), points to its conversation (`thread_ids`). A conversation's number is the smallest content id
 * among its messages; find/threads.node.ts is the one place that writes these tables.
 * Archives made before get the rows in the background from the stored bytes' headers only (`thread_backfill`
 * queue, resumable: a row leaves it in the transaction that writes its thread row).
 */
import type { Migration } from './migration.std.ts';

export const migration009: Migration = {
  version: 9,
  name: 'threads',
  sql: `
CREATE TABLE threads (
  content_id INTEGER PRIMARY KEY REFERENCES contents(id),
  conv INTEGER NOT NULL,
  msgid TEXT,
  in_reply_to TEXT,
  refs TEXT NOT NULL DEFAULT ''
);
CREATE INDEX threads_conv ON threads (conv);
CREATE TABLE thread_ids (
  msgid TEXT PRIMARY KEY,
  conv INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX thread_ids_conv ON thread_ids (conv);
CREATE TABLE thread_backfill (content_id INTEGER PRIMARY KEY REFERENCES contents(id));
INSERT INTO thread_backfill (content_id) SELECT id FROM contents;
`,
};

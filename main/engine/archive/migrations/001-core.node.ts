/**
 * Migration 1: accounts, folders, contents (stored once, addressed by SHA-256) and their placements.
 * Raw bytes live in their own table so that reading a content's metadata never walks a large blob's overflow pages.
 */
import type { Migration } from './migration.std.ts';

export const migration001: Migration = {
  version: 1,
  name: 'core',
  sql: `
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  url TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  last_backup_at INTEGER,
  last_backup_status TEXT
);
CREATE TABLE folders (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  path TEXT NOT NULL,
  delimiter TEXT,
  special_use TEXT,
  uidvalidity INTEGER,
  uidnext INTEGER,
  highest_modseq TEXT,
  server_count INTEGER,
  gone_at INTEGER,
  UNIQUE (account_id, path)
);
-- storage: 0 inline raw, 1 inline deflate-raw, 2 blob file raw, 3 blob file deflate-raw, 4 inline brotli, 5 blob file brotli
CREATE TABLE contents (
  id INTEGER PRIMARY KEY,
  sha256 BLOB NOT NULL UNIQUE,
  norm_hash BLOB NOT NULL,
  size INTEGER NOT NULL,
  storage INTEGER NOT NULL,
  added_at INTEGER NOT NULL
);
CREATE INDEX contents_norm_hash ON contents (norm_hash);
CREATE TABLE contents_raw (
  content_id INTEGER PRIMARY KEY REFERENCES contents(id),
  data BLOB NOT NULL
);
-- flags: space-separated with a leading and trailing space (' \\Seen $Label1 '), so 'LIKE % \\Seen %' works
CREATE TABLE placements (
  id INTEGER PRIMARY KEY,
  content_id INTEGER NOT NULL REFERENCES contents(id),
  folder_id INTEGER NOT NULL REFERENCES folders(id),
  uidvalidity INTEGER NOT NULL,
  uid INTEGER NOT NULL,
  flags TEXT NOT NULL,
  internal_date INTEGER NOT NULL,
  modseq TEXT,
  server_gone_at INTEGER,
  added_at INTEGER NOT NULL,
  UNIQUE (folder_id, uidvalidity, uid)
);
CREATE INDEX placements_content ON placements (content_id);
CREATE TABLE alarms (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  folder_path TEXT,
  kind TEXT NOT NULL,
  missing INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
`,
};

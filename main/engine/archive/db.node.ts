/**
 * Opens the archive's SQLite database: WAL (readers never block the backup), synchronous=NORMAL (a crash can lose
 * the last commits but never corrupts), foreign keys on, and the numbered migrations applied one transaction each.
 */
import Database from 'better-sqlite3';
import { ArcheError } from '../../../shared/errors.std.ts';
import type { Migration } from './migrations/migration.std.ts';
import { MIGRATIONS } from './migrations/index.node.ts';

export type Db = Database.Database;

export interface OpenOptions {
  /**
   * 'search' (the search command's read path): a larger page cache and the file memory-mapped, which makes a
   * 100,000-message index fast. 'archive' (backup, migrate, import, the app): a small cache and no mapping, because
   * mapped pages count in the process's memory and grew with the mailbox (peak RSS 610 MB at 20,000 messages);
   * a backup reads little it has not just written.
   */
  profile?: 'search' | 'archive';
}

export function openDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS, options: OpenOptions = {}): Db {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Another Arche process (a backup while the user searches) may hold the write lock for one batch.
    db.pragma('busy_timeout = 10000');
    // Searches read a 100,000-message index many times: a larger page cache, the file mapped rather than copied
    // page by page, and sorts/IN-lists in memory. Memory is only used as pages are actually read.
    const forSearch = options.profile === 'search';
    db.pragma(forSearch ? 'cache_size = -32768' : 'cache_size = -8192');
    db.pragma(forSearch ? 'mmap_size = 268435456' : 'mmap_size = 0');
    db.pragma('temp_store = MEMORY');
    migrate(db, migrations);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): void {
  const supported = migrations.length ? migrations[migrations.length - 1].version : 0;
  const found = db.pragma('user_version', { simple: true }) as number;
  if (found > supported) throw new ArcheError('archive-too-new', { found, supported });
  for (const m of migrations) {
    if (m.version <= found) continue;
    // BEGIN IMMEDIATE: two processes opening a fresh archive at once must not both apply the same step.
    db.transaction(() => {
      const now = db.pragma('user_version', { simple: true }) as number;
      if (now >= m.version) return;
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
}

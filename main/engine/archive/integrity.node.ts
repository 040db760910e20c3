/**
 * SQLite's own look at the archive's database: every page, index and row (`quick`: quick_check, no index contents
 * compared). Run by `arche check` and on a mirror's copy, on a worker thread's own connection when one can start
 * (content-check.worker.ts), so that it goes on while the messages are hashed.
 */
import type { Db } from './db.node.ts';

/** [] when the database is sound, else the problems SQLite lists (a page, an index, a row). */
export function integrityProblems(db: Pick<Db, 'prepare'>, quick = false): string[] {
  const rows = db.prepare(quick ? 'PRAGMA quick_check' : 'PRAGMA integrity_check').pluck().all() as string[];
  return rows.length === 1 && rows[0] === 'ok' ? [] : rows;
}

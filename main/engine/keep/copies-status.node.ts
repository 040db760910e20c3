/**
 * The dashboard's figures about the archive itself: per account the messages and bytes kept (each content counted
 * once per account, at its original size), the last check and the last second copy (copies.json).
 * Read-only, and nothing is created: an archive folder that does not exist yet simply has nothing to show.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../archive/db.node.ts';
import { readCopiesRecord, type CheckRecord, type MirrorRecord } from './copies-record.node.ts';

export interface CopiesStatus {
  accounts: { url: string; messages: number; bytes: number }[];
  lastCheck: CheckRecord | null;
  lastMirror: MirrorRecord | null;
}

export function copiesStatus(archiveDir: string): CopiesStatus {
  const file = path.join(archiveDir, 'arche.sqlite');
  if (!existsSync(file)) return { accounts: [], lastCheck: null, lastMirror: null };
  const db = openDatabase(file);
  try {
    const accounts = db
      .prepare(
        `SELECT a.url,
                (SELECT count(*) FROM (SELECT DISTINCT p.folder_id, p.content_id FROM placements p JOIN folders f ON f.id = p.folder_id WHERE f.account_id = a.id)) AS messages,
                (SELECT coalesce(sum(c.size), 0) FROM contents c WHERE c.id IN (SELECT p.content_id FROM placements p JOIN folders f ON f.id = p.folder_id WHERE f.account_id = a.id)) AS bytes
         FROM accounts a ORDER BY a.id`,
      )
      .all() as { url: string; messages: number; bytes: number }[];
    const r = readCopiesRecord(archiveDir);
    return { accounts, lastCheck: r.lastCheck ?? null, lastMirror: r.lastMirror ?? null };
  } finally {
    db.close();
  }
}

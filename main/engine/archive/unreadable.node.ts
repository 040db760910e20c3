/**
 * Messages the server listed but did not hand over whole (see migration 006). Their rows are written in the same
 * transaction as the folder cursor that passes them (addMessages), so a message can never be skipped in silence:
 * the next backup asks for it again, and the summary names the ones that failed several times.
 */
import type { Db } from './db.node.ts';
import type { UnreadableEntry, UnreadableRow } from './archive.types.std.ts';

interface UnreadableDb {
  folder_id: number;
  folder_path: string;
  uidvalidity: number;
  uid: number;
  tries: number;
  reason: string;
  subject: string | null;
  date: number | null;
  size: number | null;
  first_at: number;
  last_at: number;
}

const toRow = (r: UnreadableDb): UnreadableRow => ({
  folderId: r.folder_id,
  folderPath: r.folder_path,
  uidvalidity: r.uidvalidity,
  uid: r.uid,
  tries: r.tries,
  reason: r.reason === 'size-mismatch' ? 'size-mismatch' : 'no-body',
  subject: r.subject,
  date: r.date,
  size: r.size,
  firstAt: r.first_at,
  lastAt: r.last_at,
});

export function unreadableStore(db: Db) {
  const q = {
    record: db.prepare(
      `INSERT INTO unreadable (folder_id, uidvalidity, uid, tries, reason, subject, date, size, first_at, last_at)
       VALUES (@folderId, @uidvalidity, @uid, 1, @reason, @subject, @date, @size, @at, @at)
       ON CONFLICT(folder_id, uidvalidity, uid) DO UPDATE SET tries = tries + 1, reason = excluded.reason,
         subject = coalesce(excluded.subject, subject), date = coalesce(excluded.date, date), size = coalesce(excluded.size, size), last_at = excluded.last_at`,
    ),
    clear: db.prepare('DELETE FROM unreadable WHERE folder_id = ? AND uidvalidity = ? AND uid = ?'),
    ofFolder: db.prepare(
      'SELECT u.*, f.path AS folder_path FROM unreadable u JOIN folders f ON f.id = u.folder_id WHERE u.folder_id = ? AND u.uidvalidity = ? ORDER BY u.uid',
    ),
    ofAccount: db.prepare(
      'SELECT u.*, f.path AS folder_path FROM unreadable u JOIN folders f ON f.id = u.folder_id WHERE f.account_id = ? ORDER BY f.path, u.uid',
    ),
  };
  return {
    /** Inside the caller's transaction. */
    record(entries: UnreadableEntry[], at: number): void {
      for (const e of entries) q.record.run({ folderId: e.folderId, uidvalidity: e.uidvalidity, uid: e.uid, reason: e.reason, subject: e.subject ?? null, date: e.date ?? null, size: e.size ?? null, at });
    },
    /** Inside the caller's transaction: the message was stored, or the server no longer has it. */
    clear(folderId: number, uidvalidity: number, uid: number): void {
      q.clear.run(folderId, uidvalidity, uid);
    },
    ofFolder: (folderId: number, uidvalidity: number): UnreadableRow[] => (q.ofFolder.all(folderId, uidvalidity) as UnreadableDb[]).map(toRow),
    ofAccount: (accountId: number): UnreadableRow[] => (q.ofAccount.all(accountId) as UnreadableDb[]).map(toRow),
  };
}

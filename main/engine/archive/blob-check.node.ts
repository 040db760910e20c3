/**
 * Blob files that cannot be trusted, and their repair. A blob file is written, fsynced and renamed before the
 * transaction that points at it commits, but a disk error, a copy cut short or a hand edit can still leave a
 * committed content pointing at a truncated or missing file. A backup looks at every blob file of the account
 * (a stat each: cheap) and fetches those messages again; the bytes must hash to the same address to be written back.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import type { Db } from './db.node.ts';
import type { DamagedContent } from './archive.types.std.ts';
import { adoptBlobSync, blobPath, codecOf, isInline, openBlobStream, storageFor, writeBlobSync, encodeSmall } from './blob-store.node.ts';

interface BlobRow {
  id: number;
  sha256: Buffer;
  storage: number;
  stored_size: number | null;
}

/** Whether a file written before sizes were recorded still decodes to bytes of its address (read once, streamed). */
async function hashMatches(dir: string, sha256: string, storage: number): Promise<boolean> {
  const h = createHash('sha256');
  try {
    for await (const chunk of openBlobStream(dir, sha256, codecOf(storage))) h.update(chunk as Buffer);
  } catch {
    return false;
  }
  return h.digest('hex') === sha256;
}

export function blobCheck(db: Db, dir: string) {
  const q = {
    blobsOfAccount: db.prepare(
      `SELECT c.id, c.sha256, c.storage, c.stored_size FROM contents c
       WHERE c.id IN (SELECT p.content_id FROM placements p JOIN folders f ON f.id = p.folder_id WHERE f.account_id = ?)
         AND c.storage NOT IN (0, 1, 4)`,
    ),
    setStoredSize: db.prepare('UPDATE contents SET stored_size = ? WHERE id = ?'),
    info: db.prepare('SELECT sha256, storage FROM contents WHERE id = ?'),
    setStorage: db.prepare('UPDATE contents SET storage = ?, stored_size = ? WHERE id = ?'),
    setInline: db.prepare('UPDATE contents_raw SET data = ? WHERE content_id = ?'),
  };
  return {
    async damagedContents(accountId: number): Promise<DamagedContent[]> {
      const out: DamagedContent[] = [];
      for (const r of q.blobsOfAccount.all(accountId) as BlobRow[]) {
        const sha = r.sha256.toString('hex');
        let size: number | null = null;
        try {
          size = statSync(blobPath(dir, sha)).size;
        } catch {
          size = null;
        }
        if (size === null) out.push({ contentId: r.id, sha256: sha });
        else if (r.stored_size !== null) {
          if (size !== r.stored_size) out.push({ contentId: r.id, sha256: sha });
        } else if (await hashMatches(dir, sha, r.storage)) q.setStoredSize.run(size, r.id);
        else out.push({ contentId: r.id, sha256: sha });
      }
      return out;
    },
    /** `prepared`: a large message already through prepareLargeMessage (its sha, compression and final file). */
    repairContent(contentId: number, raw: Buffer | { file: string; sha256: string; compressed: boolean }): boolean {
      const info = q.info.get(contentId) as { sha256: Buffer; storage: number } | undefined;
      if (!info) return false;
      const sha = info.sha256.toString('hex');
      if (isInline(info.storage)) {
        // A row kept in SQLite whose bytes no longer hash right (found by `arche check`): written back in place.
        if (!Buffer.isBuffer(raw) || createHash('sha256').update(raw).digest('hex') !== sha) return false;
        const enc = encodeSmall(raw);
        db.transaction(() => {
          q.setInline.run(enc.data, contentId);
          q.setStorage.run(storageFor(true, enc.compressed), null, contentId);
        })();
        return true;
      }
      if (Buffer.isBuffer(raw)) {
        if (createHash('sha256').update(raw).digest('hex') !== sha) return false;
        const enc = encodeSmall(raw);
        // Stored as a file before: it stays a file (the row says so).
        const size = writeBlobSync(dir, sha, enc.data, { replace: true });
        q.setStorage.run(storageFor(false, enc.compressed), size, contentId);
        return true;
      }
      if (raw.sha256 !== sha) return false;
      const size = adoptBlobSync(dir, sha, raw.file, { replace: true });
      q.setStorage.run(storageFor(false, raw.compressed), size, contentId);
      return true;
    },
  };
}

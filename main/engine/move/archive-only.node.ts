/**
 * Before a move (the plan, `migrate --dry-run`): how many messages the archive holds that the old server no longer
 * has anywhere. They will not be copied, unless the user chooses to bring them into a folder of their own; the plan
 * says so before anything happens.
 *
 * Read cheaply, without downloading any message: each folder's UID list, and only for the UIDs the archive does not
 * know yet (new or moved mail) their Message-ID, which tells a message moved to another folder from a deleted one.
 * The move itself decides by content, from the backup that starts it; this count is the plan's forecast of it.
 */
import type { ImapFlow } from 'imapflow';
import type { ArchiveApi } from '../archive/archive.types.std.ts';
import { folderUids, headerMessageId, normMessageId } from '../transfer/destination.node.ts';

/** Message-IDs of some UIDs of a folder (headers only). */
async function messageIdsOf(client: ImapFlow, path: string, uids: number[], into: Set<string>): Promise<void> {
  if (!uids.length) return;
  const lock = await client.getMailboxLock(path, { readOnly: true });
  try {
    for await (const m of client.fetch(uids.join(','), { uid: true, headers: ['message-id'] }, { uid: true })) {
      const id = m.headers ? headerMessageId(Buffer.concat([m.headers, Buffer.from('\r\n')])) : null;
      if (id) into.add(id);
    }
  } finally {
    lock.release();
  }
}

/**
 * Archived contents of `accountUrl` that the server, as it is now, holds in none of its folders.
 * `serverFolders`: the selectable folders the server lists now.
 */
export async function archiveOnlyCount(client: ImapFlow, archive: ArchiveApi, accountUrl: string, serverFolders: string[]): Promise<number> {
  const account = archive.getAccount(accountUrl);
  if (!account) return 0;
  const onServer = new Set(serverFolders);
  const live = new Set<number>();
  const candidates = new Map<number, string | null>();
  const newIds = new Set<string>();
  const archived = new Set<string>();
  for (const folder of archive.listFolders(account.id)) {
    archived.add(folder.path);
    const rows = [...archive.placements({ accountId: account.id, folderId: folder.id, includeGone: true })];
    const state = onServer.has(folder.path) ? await folderUids(client, folder.path) : null;
    const same = state !== null && state.uidValidity === folder.uidvalidity;
    const uids = new Set(state?.uids ?? []);
    const known = new Set<number>();
    for (const p of rows) {
      if (same && p.uidvalidity === folder.uidvalidity) known.add(p.uid);
      if (same && p.uidvalidity === folder.uidvalidity && uids.has(p.uid)) live.add(p.contentId);
      else if (!candidates.has(p.contentId)) candidates.set(p.contentId, normMessageId(p.messageId));
    }
    // Mail the archive does not know yet in this folder: new, or moved here from another folder.
    if (state) await messageIdsOf(client, folder.path, state.uids.filter((u) => !known.has(u)), newIds);
  }
  // Folders the archive has never seen hold only mail it does not know by UID.
  for (const path of serverFolders) {
    if (archived.has(path)) continue;
    const state = await folderUids(client, path);
    if (state) await messageIdsOf(client, path, state.uids, newIds);
  }
  let count = 0;
  for (const [contentId, id] of candidates) {
    if (live.has(contentId)) continue;
    // The search data may not be built yet: the Message-ID is then read from the archived header.
    const messageId = id ?? headerMessageId(archive.readRaw(contentId).subarray(0, 65536));
    if (messageId && newIds.has(messageId)) continue;
    count++;
  }
  return count;
}

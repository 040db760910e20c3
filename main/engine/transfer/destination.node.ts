/**
 * What a destination folder holds, read from the server itself: its UIDs, and a hash of every message (line endings
 * normalised) with its Message-ID. Used by the copy (to skip what is already there) and by verification, so it lives
 * below both.
 */
import type { ImapFlow } from 'imapflow';
import { ArcheError } from '../../../shared/errors.std.ts';
import type { FoundMessage } from './compare.std.ts';
import { NormHasher } from '../archive/norm-hash.node.ts';
import { rawHeaderField } from './raw-header.node.ts';
import { hasBookkeeping, neutralHash } from './neutral-hash.node.ts';

/** UIDs per FETCH: small enough to keep memory flat with large messages, large enough to keep the pipe full. */
const BATCH = 100;

export function normMessageId(id: string | null | undefined): string | null {
  if (!id) return null;
  const s = id.replace(/\s+/g, '').replace(/^<|>$/g, '').toLowerCase();
  return s || null;
}

/** Message-ID from the header block of raw bytes (unfolded), without parsing the body. */
export function headerMessageId(raw: Buffer): string | null {
  const value = rawHeaderField(raw, 'message-id', 'latin1');
  return value === null ? null : normMessageId(value);
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ArcheError('aborted', {});
}

/** UIDVALIDITY and every UID of a destination folder (cheap: no message is downloaded); null if it does not exist. */
export async function folderUids(client: ImapFlow, path: string): Promise<{ uidValidity: number; uidNext: number; uids: number[] } | null> {
  let lock;
  try {
    lock = await client.getMailboxLock(path, { readOnly: true });
  } catch (e) {
    if (!client.usable) throw e;
    return null;
  }
  try {
    const uidValidity = client.mailbox ? Number(client.mailbox.uidValidity) : 0;
    const uidNext = client.mailbox ? Number(client.mailbox.uidNext) : 0;
    const uids = ((await client.search({ all: true }, { uid: true })) || []).sort((a, b) => a - b);
    return { uidValidity, uidNext, uids };
  } finally {
    lock.release();
  }
}

/**
 * Hash every message of one destination folder (or only the UIDs given). A folder that does not exist holds nothing.
 */
export async function hashDestinationFolder(client: ImapFlow, path: string, signal?: AbortSignal, onMessage?: () => void, onlyUids?: number[]): Promise<FoundMessage[]> {
  let lock;
  try {
    lock = await client.getMailboxLock(path, { readOnly: true });
  } catch (e) {
    // NO [NONEXISTENT]: the folder was never created, so nothing arrived there.
    if (!client.usable) throw e;
    return [];
  }
  const found: FoundMessage[] = [];
  try {
    const uids = onlyUids ? [...onlyUids].sort((a, b) => a - b) : ((await client.search({ all: true }, { uid: true })) || []).sort((a, b) => a - b);
    for (let i = 0; i < uids.length; i += BATCH) {
      checkAborted(signal);
      const range = uids.slice(i, i + BATCH).join(',');
      // Only hashing inside the loop: no IMAP command while a FETCH is streaming.
      for await (const msg of client.fetch(range, { uid: true, internalDate: true, source: true }, { uid: true })) {
        if (!msg.source) continue;
        found.push({
          uid: msg.uid,
          normHash: new NormHasher().update(msg.source).digest(),
          messageId: headerMessageId(msg.source),
          internalDate: msg.internalDate ? new Date(msg.internalDate).getTime() : null,
          // A server that adds its own header fields (mbox servers): the copy can still be recognised by Message-ID.
          ...(hasBookkeeping(msg.source) ? { neutralHash: neutralHash(msg.source) } : {}),
        });
        onMessage?.();
      }
    }
  } finally {
    lock.release();
  }
  return found;
}

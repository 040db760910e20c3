/**
 * What the plan needs to know about one server: its folders (with counts and sizes), its personal namespace,
 * its quota and its message-size limit.
 */
import type { ImapFlow } from 'imapflow';
import type { FolderInfo } from '../archive/archive.types.std.ts';
import type { ServerNamespace } from '../imap/mapping.std.ts';
import { hasAttribute, isSelectable } from '../imap/attributes.std.ts';

export interface ListedFolder extends FolderInfo {
  /** \Noselect / \NonExistent containers hold no messages (e.g. "[Gmail]"). */
  selectable: boolean;
  /** \NoInferiors: no folder can ever be created under it (mbox servers: every folder is a file). */
  noInferiors?: boolean;
  messages: number;
  bytes: number;
}

/**
 * Special-use as the SERVER said it. imapflow also guesses roles from names; the mapping does its own,
 * documented, name matching, so a guess is not passed on as if the server had said it.
 */
function serverSpecialUse(f: { specialUse?: string; specialUseSource?: string }): string | null {
  return f.specialUse && f.specialUseSource !== 'name' ? f.specialUse : null;
}

export function namespaceOf(client: ImapFlow, folders: { delimiter: string | null }[]): ServerNamespace {
  const ns = client.namespace;
  const delimiter = ns?.delimiter ?? folders.find((f) => f.delimiter)?.delimiter ?? '/';
  return { delimiter, prefix: ns?.prefix ?? '' };
}

/** Folders with message counts and sizes (STATUS SIZE when offered, else the sum of RFC822.SIZE). */
export async function listFolders(client: ImapFlow, withSizes: boolean): Promise<ListedFolder[]> {
  const statusSize = client.capabilities.has('STATUS=SIZE') || client.capabilities.has('IMAP4rev2');
  const list = await client.list(withSizes ? { statusQuery: { messages: true, ...(statusSize ? { size: true } : {}) } } : {});
  const out: ListedFolder[] = [];
  for (const f of list) {
    const selectable = isSelectable(f.flags);
    out.push({
      path: f.path,
      delimiter: f.delimiter ?? null,
      specialUse: serverSpecialUse(f),
      selectable,
      ...(hasAttribute(f.flags, '\\NoInferiors') ? { noInferiors: true } : {}),
      messages: selectable ? (f.status?.messages ?? 0) : 0,
      bytes: selectable ? (f.status?.size ?? 0) : 0,
    });
  }
  if (withSizes && !statusSize) {
    for (const f of out) {
      if (!f.selectable || f.messages === 0) continue;
      f.bytes = await sumSizes(client, f.path);
    }
  }
  return out;
}

async function sumSizes(client: ImapFlow, path: string): Promise<number> {
  const lock = await client.getMailboxLock(path, { readOnly: true });
  try {
    let total = 0;
    for await (const m of client.fetch('1:*', { size: true })) total += m.size ?? 0;
    return total;
  } finally {
    lock.release();
  }
}

/** Size limits of big providers that do not announce APPENDLIMIT (bytes). */
const KNOWN_LIMITS: { host: RegExp; limit: number; provider: string }[] = [
  { host: /(^|\.)gmail\.com$|(^|\.)googlemail\.com$/i, limit: 25 * 1024 * 1024, provider: 'Gmail' },
  { host: /(^|\.)outlook\.office365\.com$|(^|\.)outlook\.com$|(^|\.)hotmail\.com$/i, limit: 35 * 1024 * 1024, provider: 'Outlook' },
  { host: /(^|\.)mail\.yahoo\.com$/i, limit: 25 * 1024 * 1024, provider: 'Yahoo' },
  { host: /(^|\.)mail\.me\.com$/i, limit: 20 * 1024 * 1024, provider: 'iCloud' },
];

/** The largest message the destination accepts: APPENDLIMIT when the server says it, else a known provider limit. */
export function sizeLimit(client: ImapFlow, host: string): { limit: number; from: 'server' | 'provider' } | null {
  const v = client.capabilities.get('APPENDLIMIT');
  if (typeof v === 'number' && v > 0) return { limit: v, from: 'server' };
  const known = KNOWN_LIMITS.find((k) => k.host.test(host));
  return known ? { limit: known.limit, from: 'provider' } : null;
}

/** Quota of the destination: storage (bytes) and message count, each when the server sets one; null without QUOTA. */
export async function destinationQuota(client: ImapFlow): Promise<{ storage: { usage: number; limit: number } | null; messages: { usage: number; limit: number } | null } | null> {
  if (!client.capabilities.has('QUOTA')) return null;
  const q = await client.getQuota('INBOX');
  if (!q) return null;
  const resource = (r: { usage?: number; limit?: number } | undefined): { usage: number; limit: number } | null =>
    r && typeof r.limit === 'number' ? { usage: r.usage ?? 0, limit: r.limit } : null;
  const storage = resource(q.storage);
  const messages = resource(q.message);
  return storage || messages ? { storage, messages } : null;
}

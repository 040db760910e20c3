/**
 * The folders of an account as the server lists them: every folder, names decoded (imapflow decodes modified UTF-7),
 * hierarchy delimiter, special-use as the SERVER declared it (imapflow also guesses from names; the mapping does its
 * own documented name matching, so a guess is never stored as if the server had said it), and the personal
 * namespace (prefix + delimiter) the folder mapping needs.
 */
import type { ImapFlow } from 'imapflow';
import type { FolderRole, AccountSpec } from '../../../shared/types.std.ts';
import type { FolderInfo } from '../archive/archive.types.std.ts';
import { detectRole, type ServerNamespace } from './mapping.std.ts';
import { connect, errorContext, type ConnectOptions } from './connect.node.ts';
import { toArcheError } from './imap-errors.node.ts';
import { isSelectable } from './attributes.std.ts';

export interface ServerFolder extends FolderInfo {
  /** \Noselect / \NonExistent containers hold no messages. */
  selectable: boolean;
}

export interface FolderStats extends ServerFolder {
  role: FolderRole | null;
  messages: number;
  /** Total size in bytes (STATUS SIZE where offered, else the sum of RFC822.SIZE). */
  bytes: number;
}

function serverSpecialUse(f: { specialUse?: string; specialUseSource?: string; path: string }): string | null {
  if (f.path.toUpperCase() === 'INBOX') return '\\Inbox';
  return f.specialUse && f.specialUseSource !== 'name' ? f.specialUse : null;
}

export async function listServerFolders(client: ImapFlow): Promise<ServerFolder[]> {
  const list = await client.list();
  return list.map((f) => ({
    path: f.path,
    delimiter: f.delimiter ?? null,
    specialUse: serverSpecialUse(f),
    selectable: isSelectable(f.flags),
  }));
}

export function serverNamespace(client: ImapFlow, folders: { delimiter: string | null }[]): ServerNamespace {
  const ns = client.namespace;
  const delimiter = ns?.delimiter ?? folders.find((f) => f.delimiter)?.delimiter ?? '/';
  return { delimiter, prefix: ns?.prefix ?? '' };
}

/** Counts and sizes of every folder (one LIST-STATUS round trip where the server offers it). */
export async function folderStats(client: ImapFlow): Promise<FolderStats[]> {
  const statusSize = client.capabilities.has('STATUS=SIZE') || client.capabilities.has('IMAP4rev2');
  const list = await client.list({ statusQuery: { messages: true, ...(statusSize ? { size: true } : {}) } });
  const out: FolderStats[] = [];
  for (const f of list) {
    const folder: ServerFolder = {
      path: f.path,
      delimiter: f.delimiter ?? null,
      specialUse: serverSpecialUse(f),
      selectable: isSelectable(f.flags),
    };
    out.push({
      ...folder,
      role: detectRole(folder),
      messages: folder.selectable ? (f.status?.messages ?? 0) : 0,
      bytes: folder.selectable ? Number(f.status?.size ?? 0) : 0,
    });
  }
  if (!statusSize) {
    for (const f of out) {
      if (!f.selectable || f.messages === 0) continue;
      const lock = await client.getMailboxLock(f.path, { readOnly: true });
      try {
        let total = 0;
        for await (const m of client.fetch('1:*', { size: true })) total += m.size ?? 0;
        f.bytes = total;
      } finally {
        lock.release();
      }
    }
  }
  return out;
}

/** "Tester la connexion": connects, lists every folder with its role, message count and size, logs out. */
export async function testAccount(spec: AccountSpec, opts: ConnectOptions = {}): Promise<{ folders: FolderStats[]; namespace: ServerNamespace }> {
  const client = await connect(spec, opts);
  try {
    const folders = await folderStats(client);
    return { folders, namespace: serverNamespace(client, folders) };
  } catch (e) {
    throw toArcheError(e, errorContext(spec));
  } finally {
    await client.logout().catch(() => client.close());
  }
}

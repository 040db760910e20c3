/**
 * Destination folders, created as the server allows (issue 9): a parent that only holds other folders is created
 * as a container (name + separator, RFC 3501 §6.3.3) or not at all, because on mbox servers (GNU imap4d) a parent
 * created as a mailbox can never hold a child ("TRYCREATE"); and a name the server refuses is said once, with the
 * server's words and a name it is likely to accept, instead of each message of the folder failing on its own.
 */
import type { ImapFlow } from 'imapflow';
import { nameProbe } from './name-probe.node.ts';

export type FolderReady = { ok: true } | { ok: false; detail: string; proposed: string };

interface ServerErrorLike {
  responseText?: string;
  message?: string;
}

/** The server's hierarchy separator for personal folders (what imapflow learnt from NAMESPACE or LIST). */
export function separatorOf(client: ImapFlow): string {
  const ns = (client as unknown as { namespace?: { delimiter?: string } }).namespace;
  return ns?.delimiter || '/';
}

/**
 * A name the server is likely to accept for a refused one: the last part without accents or characters servers
 * commonly refuse (the separator, wildcards, quotes, control characters), at most 40 characters; a plain name the
 * server refused as it is gets " 2".
 */
export function proposedName(path: string, sep: string): string {
  const cut = path.lastIndexOf(sep);
  const parent = cut >= 0 ? path.slice(0, cut + 1) : '';
  const leaf = cut >= 0 ? path.slice(cut + 1) : path;
  const simple = leaf
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9 _-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-\s]+|[-\s]+$/g, '')
    .slice(0, 40)
    .trim();
  const name = parent + (simple || 'Dossier');
  // A plain name refused as it is (Microsoft keeps "Files" for itself): another one, not the same again.
  return name === path ? `${name} 2` : name;
}

/**
 * The name to propose for a refused folder. Under a parent that exists, on a server whose folders cannot hold both
 * messages and folders (mbox; asked of the server, name-probe.node.ts), a cleaner leaf would be refused as well:
 * the folder then goes beside its parent, "Parent - Leaf".
 */
async function betterName(client: ImapFlow, path: string, sep: string): Promise<string> {
  const cut = path.lastIndexOf(sep);
  if (cut <= 0 || path.slice(0, cut).toUpperCase() === 'INBOX') return proposedName(path, sep);
  const prefix = (client as unknown as { namespace?: { prefix?: string } }).namespace?.prefix ?? '';
  const parent = path.slice(0, cut);
  if (!(await exists(client, parent)) || (await nameProbe(client, prefix, sep).subfoldersBesideMessages())) return proposedName(path, sep);
  return `${prefix}${parent.slice(parent.lastIndexOf(sep) + 1)} - ${path.slice(cut + 1)}`;
}

async function exists(client: ImapFlow, path: string): Promise<boolean> {
  try {
    return (await client.status(path, { messages: true })) !== false;
  } catch (e) {
    if (!client.usable) throw e;
    return false;
  }
}

/**
 * Makes the destination folder ready. `container`: it receives no message and other planned folders go under it.
 * Throws only when the connection is lost (the caller reconnects).
 */
export async function prepareFolder(client: ImapFlow, path: string, container: boolean): Promise<FolderReady> {
  if (path.toUpperCase() === 'INBOX') return { ok: true };
  const sep = separatorOf(client);
  try {
    // A created folder answers OK, an existing one ALREADYEXISTS (imapflow then returns created: false).
    await client.mailboxCreate(container ? path + sep : path);
  } catch (e) {
    if (!client.usable) throw e;
    // A container the server would not declare: its children's CREATE makes it, as most servers do.
    if (container) return { ok: true };
    // Some servers answer a plain NO for a folder that already exists: only a folder still missing is refused.
    if (!(await exists(client, path))) {
      const err = e as ServerErrorLike;
      return { ok: false, detail: err.responseText || err.message || '', proposed: await betterName(client, path, sep) };
    }
  }
  if (!container) await client.mailboxSubscribe(path).catch(() => undefined);
  return { ok: true };
}

/** PERMANENTFLAGS already read on a connection, per folder (one read-write SELECT per folder and connection). */
const flagsSeen = new WeakMap<ImapFlow, Map<string, Set<string> | null>>();

interface SelectedBox {
  path: string;
  readOnly?: boolean;
  permanentFlags?: Set<string>;
}

function selectedBox(client: ImapFlow): SelectedBox | null {
  const mb = client.mailbox as unknown;
  return mb && typeof mb === 'object' ? (mb as SelectedBox) : null;
}

/** imapflow's CLOSE/UNSELECT runner (not in its typings). */
interface Runner {
  run(command: 'CLOSE', options?: { unselect?: boolean }): Promise<unknown>;
  capabilities?: Map<string, unknown>;
}

/**
 * Leaves no folder selected, without ever expunging: UNSELECT when the server has it; otherwise the folder is first
 * re-opened read-only, because CLOSE on a read-only folder removes nothing (RFC 3501 §6.4.2) while CLOSE on a
 * read-write one would remove the destination's messages marked \Deleted.
 */
async function deselect(client: ImapFlow): Promise<void> {
  const box = selectedBox(client);
  if (!box) return;
  const runner = client as unknown as Runner;
  if (runner.capabilities?.has('UNSELECT')) {
    await runner.run('CLOSE', { unselect: true });
    return;
  }
  if (!box.readOnly) {
    const lock = await client.getMailboxLock(box.path, { readOnly: true });
    lock.release();
  }
  if (selectedBox(client)?.readOnly) await runner.run('CLOSE');
}

/**
 * Gets the connection ready for APPENDs into the folder, and says which flags the folder keeps (PERMANENTFLAGS,
 * given only by a read-write SELECT; null when the server did not list them: every flag is then kept).
 * The APPENDs then go with NO folder selected: servers disagree about appending into the selected folder. Courier
 * refuses it when the folder was opened read-only ("Current box is selected READ-ONLY"); GNU imap4d answers OK to
 * APPENDs into the folder selected read-write on the same connection and keeps only the first (measured: 1 of 3).
 */
export async function openForAppend(client: ImapFlow, path: string): Promise<Set<string> | null> {
  let seen = flagsSeen.get(client);
  if (!seen) flagsSeen.set(client, (seen = new Map()));
  if (!seen.has(path)) {
    try {
      const lock = await client.getMailboxLock(path);
      lock.release();
      seen.set(path, selectedBox(client)?.permanentFlags ?? null);
    } catch (e) {
      // A folder that cannot be selected: its APPEND says why it is refused.
      if (!client.usable) throw e;
      seen.set(path, null);
    }
  }
  await deselect(client);
  return seen.get(path) ?? null;
}

/** The largest message the server accepts (APPENDLIMIT, RFC 7889), when it says; null otherwise. */
export function appendLimitOf(client: ImapFlow): number | null {
  const v = (client as unknown as { capabilities?: Map<string, unknown> }).capabilities?.get('APPENDLIMIT');
  return typeof v === 'number' && v > 0 ? v : null;
}

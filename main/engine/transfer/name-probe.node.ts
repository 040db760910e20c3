/**
 * What folder names the destination will refuse, asked of the server itself before anything is copied (issue 9):
 * no table of server brands. Each probe CREATEs a temporary folder of Arche's own ("Arche-essai-…") and DELETEs it
 * at once, so the plan can name a refused folder, with the server's words and a name to use, before the start.
 *
 * - A name with characters some servers refuse (Courier: `~`, quotes…; Cyrus: some punctuation) or a long one:
 *   the same leaf, prefixed with the temporary name, is created at the top of the personal namespace.
 * - A folder that holds messages and has subfolders: mbox servers (GNU imap4d) store a folder as one file, which
 *   cannot hold folders; a temporary folder and one under it tell whether this server can.
 * Plain names (ASCII letters, digits, space, `-`, `_`, at most 40 characters) are accepted everywhere: not probed.
 */
import type { ImapFlow } from 'imapflow';
import { randomBytes } from 'node:crypto';

interface ServerErrorLike {
  responseText?: string;
  message?: string;
}

/** The server's answer to a CREATE: null when it accepted the name, its words when it refused it. */
async function tryCreate(client: ImapFlow, path: string): Promise<{ refused: string | null; created: boolean }> {
  try {
    const r = await client.mailboxCreate(path);
    return { refused: null, created: r?.created !== false };
  } catch (e) {
    if (!client.usable) throw e;
    const err = e as ServerErrorLike;
    return { refused: err.responseText || err.message || '', created: false };
  }
}

async function remove(client: ImapFlow, path: string): Promise<void> {
  await client.mailboxDelete(path).catch(() => undefined);
}

/** Whether a name needs asking: anything beyond what every server accepts. */
export function needsProbe(leaf: string): boolean {
  return leaf.length > 40 || /[^A-Za-z0-9 _-]/.test(leaf);
}

export interface NameProbe {
  /** The server's words when it refused a folder named like this leaf; null when it accepted it. */
  leaf(leaf: string): Promise<string | null>;
  /** Whether a folder that holds messages can also hold folders on this server (false on mbox servers). */
  subfoldersBesideMessages(): Promise<boolean>;
}

/** Probes on the destination, with `prefix` (the personal namespace) and `sep` its separator; answers are cached. */
export function nameProbe(client: ImapFlow, prefix: string, sep: string): NameProbe {
  // No space in the temporary part: a name without spaces goes as an atom, one with spaces as a quoted string, and
  // servers differ there (Courier refuses `Projets~2024` as an atom, accepts it quoted): the probe goes as the real name.
  const base = `${prefix}Arche-essai-${randomBytes(3).toString('hex')}`;
  const leaves = new Map<string, string | null>();
  let nesting: boolean | null = null;
  return {
    async leaf(leaf) {
      if (!leaves.has(leaf)) {
        const probe = `${base}-${leaf}`;
        const r = await tryCreate(client, probe);
        if (r.created) await remove(client, probe);
        leaves.set(leaf, r.refused);
      }
      return leaves.get(leaf)!;
    },
    async subfoldersBesideMessages() {
      if (nesting === null) {
        // The parent is created as a mailbox (no trailing separator): what a folder with messages is.
        const parent = await tryCreate(client, base);
        if (parent.refused !== null) nesting = true; // cannot tell: say nothing
        else {
          const child = await tryCreate(client, `${base}${sep}x`);
          nesting = child.refused === null;
          if (child.created) await remove(client, `${base}${sep}x`);
          if (parent.created) await remove(client, base);
        }
      }
      return nesting;
    },
  };
}

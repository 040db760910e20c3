/**
 * The side list of the reading view (issue 14): an account's folders as a tree by the server's separator, the
 * folders people know first (inbox, drafts, sent…) in that order, the others by name; and a person's name as a
 * list shows it. Pure: the screen only draws what this returns.
 */
import type { BrowseFolder } from '../../shared/api.std.ts';
import type { FolderRole } from '../../shared/types.std.ts';

export interface FolderNode {
  /** Full server path; null for a level the server does not list itself ("Club" of "Club/Régates"). */
  path: string | null;
  /** This level's own name on the server (the last part of the path). */
  name: string;
  role: FolderRole | null;
  messages: number;
  unread: number;
  children: FolderNode[];
}

/** The order of the folders people know, as mail programs show them. */
const ROLE_ORDER: FolderRole[] = ['inbox', 'flagged', 'important', 'drafts', 'sent', 'archive', 'all', 'junk', 'trash'];

function rank(n: FolderNode): number {
  const i = n.role ? ROLE_ORDER.indexOf(n.role) : -1;
  return i < 0 ? ROLE_ORDER.length : i;
}

function sortTree(nodes: FolderNode[]): FolderNode[] {
  nodes.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name, 'fr', { sensitivity: 'base' }));
  for (const n of nodes) sortTree(n.children);
  return nodes;
}

/**
 * Folders as a tree. On servers that file everything under "INBOX." (Courier, Cyrus), the inbox's children are
 * the user's folders: they are shown at the top level beside the inbox, as people know them.
 */
export function folderTree(folders: BrowseFolder[]): FolderNode[] {
  const roots: FolderNode[] = [];
  const byKey = new Map<string, FolderNode>();
  const sorted = [...folders].sort((a, b) => a.path.length - b.path.length);
  for (const f of sorted) {
    let parts = f.delimiter ? f.path.split(f.delimiter) : [f.path];
    if (parts.length > 1 && parts[0].toUpperCase() === 'INBOX' && f.delimiter === '.') parts = parts.slice(1);
    let level = roots;
    let key = '';
    parts.forEach((part, i) => {
      key += `\u0000${part}`;
      let node = byKey.get(key);
      const last = i === parts.length - 1;
      if (!node) {
        node = { path: null, name: part, role: null, messages: 0, unread: 0, children: [] };
        byKey.set(key, node);
        level.push(node);
      }
      if (last) Object.assign(node, { path: f.path, role: f.role, messages: f.messages, unread: f.unread });
      level = node.children;
    });
  }
  return sortTree(roots);
}

/** The name of a folder on screen: the role's name in the user's language, else its own name. */
export function nodeName(n: FolderNode, roleName: (role: FolderRole) => string): string {
  return n.role ? roleName(n.role) : n.name;
}

/** "Marie Dupont <marie@x.fr>, Jean <j@y.fr>" → "Marie Dupont, Jean": names where there are, else addresses. */
export function peopleNames(list: string): string {
  const out: string[] = [];
  const re = /\s*(?:(?:"([^"]*)"|([^"<,]*?))\s*<([^>]*)>|([^,<>]+))\s*(?:,|$)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(list)) && m[0] !== '') {
    const name = (m[1] ?? m[2] ?? '').trim();
    out.push(name || (m[3] ?? m[4] ?? '').trim());
  }
  return out.filter(Boolean).join(', ') || list;
}

/** The bare address of "Name <address>" (or the text itself when it has none). */
export function addressOf(person: string): string {
  const m = /<([^>]+)>/.exec(person);
  return (m ? m[1] : person).trim();
}

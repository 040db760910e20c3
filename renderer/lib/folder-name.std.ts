/**
 * A folder path as people know it: "INBOX" is "Boîte de réception"; on servers that file everything under
 * "INBOX." (Courier/Cyrus style) the prefix is technical, so "INBOX.Club.Régates" reads "Club / Régates".
 * Other names are the user's own and stay as they are.
 */
export function displayFolderName(path: string, inbox: string): string {
  if (path.toUpperCase() === 'INBOX') return inbox;
  const m = /^INBOX\.(.+)$/i.exec(path);
  return m ? m[1].split('.').join(' / ') : path;
}

/** How a server files folders (shared/api.std.ts FolderNamespace): its separator and personal prefix. */
export interface FolderNs {
  prefix: string;
  delimiter: string;
}

/** Between the levels of a folder path, for people: never the server's own separator. */
export const LEVEL = ' › ';

/**
 * A full server path as people read it, knowing the server's ways: the personal prefix hidden ("INBOX."), the levels
 * joined by "›" ("INBOX.Club.Régates" → "Club › Régates", "Club/Régates" → "Club › Régates"), the inbox in plain words.
 */
export function friendlyPath(path: string, ns: FolderNs, inbox: string): string {
  if (path.toUpperCase() === 'INBOX') return inbox;
  const rest = ns.prefix && path.startsWith(ns.prefix) && path.length > ns.prefix.length ? path.slice(ns.prefix.length) : path;
  return ns.delimiter ? rest.split(ns.delimiter).join(LEVEL) : rest;
}

/**
 * Where a new folder the user names goes: under the destination's personal prefix, Arche's job, not the user's
 * ("Régates" → "INBOX.Régates"). Levels typed with "›" use the server's separator ("Club › Voile" → "INBOX.Club.Voile").
 */
export function newFolderPath(name: string, ns: FolderNs): string {
  const levels = name.split('›').map((part) => part.trim());
  return ns.prefix + levels.join(ns.delimiter || '/');
}

/** The name to show in the "new folder" field for a full path (the inverse of newFolderPath). */
export function newFolderName(path: string, ns: FolderNs): string {
  return friendlyPath(path, ns, path);
}

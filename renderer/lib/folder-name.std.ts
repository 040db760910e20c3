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

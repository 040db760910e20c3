/** Folder names people know, by role, in the user's language; other folders keep their own name. */
import type { FolderRole } from '../../shared/types.std.ts';

const NAMES: Record<'fr' | 'en', Partial<Record<FolderRole, string>>> = {
  fr: { inbox: 'Boîte de réception', sent: 'Envoyés', drafts: 'Brouillons', trash: 'Corbeille', junk: 'Indésirables', archive: 'Archives', all: 'Tous les messages', flagged: 'Suivis', important: 'Importants' },
  en: { inbox: 'Inbox', sent: 'Sent', drafts: 'Drafts', trash: 'Trash', junk: 'Junk', archive: 'Archive', all: 'All mail', flagged: 'Starred', important: 'Important' },
};

export function langOf(locale: string): 'fr' | 'en' {
  return locale.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

export function folderDisplayName(path: string, role: FolderRole | null, delimiter: string | null, locale: string): string {
  const byRole = role ? NAMES[langOf(locale)][role] : undefined;
  if (byRole) return byRole;
  return delimiter ? path.split(delimiter).filter(Boolean).join(' › ') || path : path;
}

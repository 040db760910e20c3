/**
 * The name an export gets: "Courrier de marie — 2 décembre 2026.mbox" / "marie's mail — 2 December 2026.mbox"
 * (a folder, for maildir and eml, has no extension), never a technical time stamp. Made safe on every OS file system
 * by the one rule attachments use too (`safeFileName`: no / \ : * ? " < > |, no control character, no reserved
 * Windows name, a sane length).
 */
import { safeFileName } from '../../shared/file-name.std.ts';
import { formatLongDate } from '../../shared/clock.std.ts';

export function exportFileName(owner: string | null, at: number | Date, lang: 'fr' | 'en', format: 'mbox' | 'maildir' | 'eml'): string {
  const day = formatLongDate(at, lang);
  const who = owner?.trim() || null;
  const title =
    lang === 'fr'
      ? who
        ? `Courrier ${/^[aeiouyhàâäéèêëîïôöûüœ]/i.test(who) ? 'd’' : 'de '}${who} — ${day}`
        : `Courrier — ${day}`
      : who
        ? `${who}’s mail — ${day}`
        : `Mail — ${day}`;
  return safeFileName(title + (format === 'mbox' ? '.mbox' : ''), lang === 'fr' ? 'Courrier' : 'Mail');
}

/** Whose mail it is, for the name: the part before the @ of an address ("marie"), or the name as it is. */
export function ownerOf(label: string): string {
  return label.includes('@') ? label.slice(0, label.lastIndexOf('@')) : label;
}

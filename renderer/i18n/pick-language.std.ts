import { localeLanguage } from '../../shared/locale.std.ts';

/**
 * French when the user chose it, else when the system or browser language is French; English otherwise.
 * A system locale that names no language (C, POSIX, C.UTF-8) is no preference: the browser's languages decide.
 */
export function pickLanguage(stored: string | null, systemLocale: string | undefined, browserLanguages: readonly string[]): 'fr' | 'en' {
  if (stored === 'fr' || stored === 'en') return stored;
  const first = localeLanguage(systemLocale) || browserLanguages[0] || '';
  return first.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

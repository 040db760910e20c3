/** French when the user chose it, else when the system or browser language is French; English otherwise. */
export function pickLanguage(stored: string | null, systemLocale: string | undefined, browserLanguages: readonly string[]): 'fr' | 'en' {
  if (stored === 'fr' || stored === 'en') return stored;
  const first = systemLocale || browserLanguages[0] || '';
  return first.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

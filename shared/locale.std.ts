/**
 * A system locale as a language preference. "C", "POSIX" and "C.UTF-8" name no language (they are what a server or a
 * container gets when nobody chose): they are no preference, so the browser's own languages decide.
 */
export function localeLanguage(locale: string | null | undefined): string | undefined {
  if (!locale) return undefined;
  const lang = locale.split(/[._@]/)[0].trim();
  if (!lang || /^(c|posix)$/i.test(lang)) return undefined;
  return locale;
}

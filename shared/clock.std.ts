/**
 * One way to write a moment, for every part of Arche (screens, reports, file names): French "7 h 36" (never
 * "07:36"), "le 02/12/2026 à 7 h 36", "2 décembre 2026"; English "07:36", "on 2 Dec 2026 at 07:36",
 * "2 December 2026". Local time, as the user lives it. Pure functions (Intl only).
 */
export type ClockLang = 'fr' | 'en';

const pad = (n: number) => String(n).padStart(2, '0');

function asDate(at: number | string | Date): Date {
  return at instanceof Date ? at : new Date(at);
}

/** "7 h 36" / "07:36", with no-break spaces so the French time never splits across two lines. */
export function formatClock(at: number | string | Date, lang: ClockLang): string {
  const d = asDate(at);
  return lang === 'fr' ? `${d.getHours()}\u00a0h\u00a0${pad(d.getMinutes())}` : `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "le 23/11/2026 à 21 h 04" / "on 23 Nov 2026 at 21:04"; `bare` drops "le"/"on" (for a labelled field). */
export function formatDateTime(at: number | string | Date, lang: ClockLang, opts: { bare?: boolean } = {}): string {
  const d = asDate(at);
  if (Number.isNaN(d.getTime())) return '';
  if (lang === 'fr') {
    const text = `${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()} à ${formatClock(d, 'fr')}`;
    return opts.bare ? text : `le ${text}`;
  }
  const month = new Intl.DateTimeFormat('en-GB', { month: 'short' }).format(d);
  const text = `${d.getDate()} ${month} ${d.getFullYear()} at ${formatClock(d, 'en')}`;
  return opts.bare ? text : `on ${text}`;
}

/** "2 décembre 2026" / "2 December 2026": a day in words (file names, titles). */
export function formatLongDate(at: number | string | Date, lang: ClockLang): string {
  const d = asDate(at);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric' }).format(d);
}

/**
 * A clock time carried as "HH:MM" in an error's fields (the engine writes it once, in no language), said the
 * French way ("8 h 48") or left as it is in English; anything else is returned unchanged.
 */
export function sayClock(hhmm: string, lang: ClockLang): string {
  const m = /^(\d{1,2}):(\d\d)$/.exec(hhmm);
  return m && lang === 'fr' ? `${Number(m[1])}\u00a0h\u00a0${m[2]}` : hhmm;
}

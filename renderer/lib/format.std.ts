/**
 * Numbers, sizes, durations and dates the way each language writes them:
 * French "12 345 messages", "1,5 Go", "le 23/11/2026 à 21 h 04"; English "12,345", "1.5 GB", "on 23 Nov 2026 at 21:04".
 * Pure functions (Intl only), so they are unit-tested without a browser.
 */
export type Lang = 'fr' | 'en';

const LOCALE: Record<Lang, string> = { fr: 'fr-FR', en: 'en-GB' };

/** Group separator: French writes a space (we use a no-break space so "12 345" never splits across lines). */
export function formatNumber(n: number, lang: Lang, maxFractionDigits = 0): string {
  const s = new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: maxFractionDigits }).format(n);
  // Intl gives a narrow no-break space (U+202F) in French; a plain no-break space renders everywhere.
  return s.replace(/\u202f/g, '\u00a0');
}

const UNITS: Record<Lang, string[]> = {
  fr: ['octets', 'Ko', 'Mo', 'Go', 'To'],
  en: ['bytes', 'KB', 'MB', 'GB', 'TB'],
};

/** Sizes in powers of 1024 with one decimal where it helps: "1,5 Go", "820 Mo", "0 octet". */
export function formatBytes(bytes: number, lang: Lang): string {
  if (!Number.isFinite(bytes) || bytes < 0) bytes = 0;
  if (bytes < 1024) {
    const unit = lang === 'fr' ? (bytes <= 1 ? 'octet' : 'octets') : bytes === 1 ? 'byte' : 'bytes';
    return `${formatNumber(bytes, lang)}\u00a0${unit}`;
  }
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < UNITS[lang].length - 1) {
    value /= 1024;
    i++;
  }
  return `${formatNumber(value, lang, value < 10 ? 1 : 0)}\u00a0${UNITS[lang][i]}`;
}

// One way to write a moment everywhere (screens, reports, file names): see shared/clock.std.ts.
export { formatClock, formatDateTime, formatLongDate } from '../../shared/clock.std.ts';

/** A short date for lists: "23/11/2026" / "23 Nov 2026". */
export function formatDate(at: number | string | Date, lang: Lang): string {
  const d = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(d.getTime())) return '';
  if (lang === 'fr') {
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()}`;
  }
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' }).format(d);
}

/** Remaining time in words a person reads at a glance: "moins d'une minute", "environ 3 min", "environ 2 h 10". */
export function formatDuration(seconds: number, lang: Lang): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '';
  if (seconds < 60) return lang === 'fr' ? "moins d'une minute" : 'less than a minute';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return lang === 'fr' ? `environ ${minutes} min` : `about ${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (lang === 'fr') return `environ ${h} h${m ? ` ${String(m).padStart(2, '0')}` : ''}`;
  return `about ${h} h${m ? ` ${m} min` : ''}`;
}

/**
 * The dashboard's words that are computed, not translated: a moment said the way people say it ("hier à 13 h 02",
 * "demain à 13 h 00", "lundi à 8 h 30"), and which status needs the user's eye. Local time, as the user lives it.
 */
import type { SavedAccountStatus } from '../../shared/api.std.ts';
import { formatClock, formatDateTime, type Lang } from './format.std.ts';

const DAY = 24 * 60 * 60 * 1000;

function startOfDay(ms: number): number {
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** "aujourd'hui à 13 h 02", "hier à …", "demain à …", "lundi à …" (within a week), else "le 23/11/2026 à 21 h 04". */
export function whenWords(at: number, now: number, lang: Lang): string {
  const d = new Date(at);
  const days = Math.round((startOfDay(at) - startOfDay(now)) / DAY);
  const t = formatClock(d, lang);
  if (lang === 'fr') {
    if (days === 0) return `aujourd’hui à ${t}`;
    if (days === -1) return `hier à ${t}`;
    if (days === 1) return `demain à ${t}`;
    if (Math.abs(days) < 7) return `${new Intl.DateTimeFormat('fr-FR', { weekday: 'long' }).format(d)}${days < 0 ? ' dernier' : ''} à ${t}`;
    return formatDateTime(at, 'fr');
  }
  if (days === 0) return `today at ${t}`;
  if (days === -1) return `yesterday at ${t}`;
  if (days === 1) return `tomorrow at ${t}`;
  if (Math.abs(days) < 7) return `${days < 0 ? 'last ' : ''}${new Intl.DateTimeFormat('en-GB', { weekday: 'long' }).format(d)} at ${t}`;
  return formatDateTime(at, 'en');
}

/** A failure or an alarm stays on the dashboard until the user says they saw it: the key of that one result. */
export function seenKey(url: string, finishedAt: number): string {
  return `arche.seen.${url}.${finishedAt}`;
}

/** Statuses that ask for the user's attention (and stay until seen). */
export function needsAttention(status: SavedAccountStatus): boolean {
  return status === 'alarm' || status === 'failed';
}

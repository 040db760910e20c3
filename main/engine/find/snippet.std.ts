/**
 * Result snippets: a short window of the message text around the first matched word, HTML-escaped,
 * with matched words wrapped in <mark>…</mark> (the only tags it ever contains).
 */
import { foldKey } from '../archive/fold.std.ts';
import { stemKeys } from '../archive/stem.std.ts';

export interface HighlightTerm {
  /** folded key (see foldKey) */
  key: string;
  prefix: boolean;
  /** The query word's stems (stem.std.ts): a text word sharing one is marked too ("régates" for "régate"). */
  stems?: readonly string[];
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESC[c]);
}

/** ASCII words (most words) only need lower-casing: no ligature, no accent, no Unicode normalisation. */
const ASCII = /^[A-Za-z0-9]+$/;

function matches(word: string, terms: HighlightTerm[], cache: Map<string, boolean>): boolean {
  let hit = cache.get(word);
  if (hit === undefined) {
    const k = ASCII.test(word) ? word.toLowerCase() : foldKey(word);
    hit = terms.some((t) => (t.prefix ? k.startsWith(t.key) : k === t.key || (t.stems?.length ? stemKeys(word).some((x) => t.stems!.includes(x)) : false)));
    cache.set(word, hit);
  }
  return hit;
}

/**
 * `cache` may be shared by the snippets of one result page (the same words recur from message to message).
 * Only the words up to one window past the first hit are examined: nothing further can be shown.
 */
export function makeSnippet(text: string, terms: HighlightTerm[], maxChars = 200, cache: Map<string, boolean> = new Map()): string {
  const WORD = /[\p{L}\p{N}\p{M}]+/gu;
  const hits: { start: number; end: number }[] = [];
  if (terms.length) {
    for (const m of text.matchAll(WORD)) {
      if (hits.length && m.index > hits[0].start + maxChars) break;
      if (matches(m[0], terms, cache)) hits.push({ start: m.index, end: m.index + m[0].length });
    }
  }
  let from = 0;
  if (hits.length) {
    from = Math.max(0, hits[0].start - Math.floor(maxChars / 4));
    if (from > 0) {
      const space = text.indexOf(' ', from);
      if (space >= 0 && space < hits[0].start) from = space + 1;
    }
  }
  let to = Math.min(text.length, from + maxChars);
  if (to < text.length) {
    const space = text.lastIndexOf(' ', to);
    if (space > from + maxChars / 2) to = space;
  }
  let out = from > 0 ? '… ' : '';
  let pos = from;
  for (const h of hits) {
    if (h.start < from || h.end > to) continue;
    out += escapeHtml(text.slice(pos, h.start)) + '<mark>' + escapeHtml(text.slice(h.start, h.end)) + '</mark>';
    pos = h.end;
  }
  out += escapeHtml(text.slice(pos, to));
  if (to < text.length) out += ' …';
  return out;
}

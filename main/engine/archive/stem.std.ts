/**
 * Word stems for search, French and English (Snowball, through @orama/stemmers): "régate" finds "régates",
 * "meeting" finds "meetings". The one function both sides use: the index stores the stems of a message's words
 * (index-write), a query word is looked up by its stems (search), and snippets mark words sharing a stem.
 *
 * Stems are taken from the folded word (foldKey: no accent, lower case), so typing with or without accents still
 * meets the same stem. The language of a message is not known, so both stemmers run and both stems are kept
 * (a word's two stems are usually the same).
 */
import { stemmer as frenchStem } from '@orama/stemmers/french';
import { stemmer as englishStem } from '@orama/stemmers/english';
import { foldKey, words } from './fold.std.ts';

/** Words shorter than this, and words with a digit, are not stemmed (numbers, codes, "le", "of"). */
const MIN_LETTERS = 3;
const HAS_DIGIT = /\d/;

/** Stems recur from message to message: a bounded cache keeps indexing cheap. */
const CACHE_MAX = 50_000;
const cache = new Map<string, readonly string[]>();

/** The distinct stems of one folded word (see foldKey); none for short words and words with digits. */
export function stemKeys(key: string): readonly string[] {
  let hit = cache.get(key);
  if (hit) return hit;
  if (key.length < MIN_LETTERS || HAS_DIGIT.test(key)) hit = [];
  else {
    const fr = frenchStem(key);
    const en = englishStem(key);
    hit = fr === en ? [fr] : [fr, en];
  }
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(key, hit);
  return hit;
}

/** The distinct stems of a text's words, space-separated (what the index's `stems` column holds). */
export function stemText(...texts: string[]): string {
  const seen = new Set<string>();
  const stems = new Set<string>();
  for (const text of texts) {
    for (const w of words(text)) {
      const k = foldKey(w);
      if (seen.has(k)) continue;
      seen.add(k);
      for (const s of stemKeys(k)) stems.add(s);
    }
  }
  return [...stems].join(' ');
}

/**
 * Word stems for search, French and English (Snowball, through @orama/stemmers): "régate" finds "régates",
 * "meeting" finds "meetings". The one function both sides use: the index stores the stems of a message's words
 * (index-write), a query word is looked up by its stems (search), and snippets mark words sharing a stem.
 *
 * Each word gives the stems of two spellings: as written (the French rules read accents: « envoyées » → envoi) and
 * folded (no accent, lower case: what people type, « envoyees » → envoye), each stem then folded too. So a word typed
 * with or without its accents still meets the text. The language of a message is not known, so French and English
 * stems are both kept (they are usually the same).
 */
import { stemmer as frenchStem } from '@orama/stemmers/french';
import { stemmer as englishStem } from '@orama/stemmers/english';
import { foldKey, foldText, isAscii, words } from './fold.std.ts';

/** Words shorter than this, and words with a digit, are not stemmed (numbers, codes, "le", "of"). */
const MIN_LETTERS = 3;
const HAS_DIGIT = /\d/;

/** Stems recur from message to message: a bounded cache keeps indexing cheap. */
const CACHE_MAX = 50_000;
const cache = new Map<string, readonly string[]>();

/** The distinct stems of one word (any case, accents or not); none for short words and words with digits. */
export function stemKeys(word: string): readonly string[] {
  let hit = cache.get(word);
  if (hit) return hit;
  if (isAscii(word)) {
    // No accent: the folded spelling is the word in lower case and its French stem is already folded, so two
    // stemmer calls give every stem; "Meeting" and "meeting" share one cache entry.
    const key = word.toLowerCase();
    hit = cache.get(key);
    if (!hit) {
      hit = key.length < MIN_LETTERS || HAS_DIGIT.test(key) ? [] : distinct(frenchStem(key), englishStem(key));
      remember(key, hit);
    }
    if (key !== word) remember(word, hit);
    return hit;
  }
  const key = foldKey(word);
  if (key.length < MIN_LETTERS || HAS_DIGIT.test(key)) hit = [];
  else hit = [...new Set([frenchStem(key), englishStem(key), foldKey(frenchStem(foldText(word).normalize('NFC').toLowerCase()))])];
  remember(word, hit);
  return hit;
}

function distinct(a: string, b: string): readonly string[] {
  return a === b ? [a] : [a, b];
}

function remember(word: string, stems: readonly string[]): void {
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(word, stems);
}

/** The distinct stems of a text's words, space-separated (what the index's `stems` column holds). */
export function stemText(...texts: string[]): string {
  const seen = new Set<string>();
  const stems = new Set<string>();
  for (const text of texts) {
    for (const w of words(text)) {
      if (seen.has(w)) continue;
      seen.add(w);
      for (const s of stemKeys(w)) stems.add(s);
    }
  }
  return [...stems].join(' ');
}

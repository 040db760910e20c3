/**
 * Folding applied to text at index time AND to query words, so both sides meet: SQLite's unicode61 tokenizer
 * already drops accents (é→e), but letters such as œ, æ, ß, ø are not "letter + accent" in Unicode and must be
 * spelled out by hand ("oeuvre" finds "œuvre").
 */
export const LIGATURES: Record<string, string> = {
  œ: 'oe', Œ: 'OE', æ: 'ae', Æ: 'AE', ß: 'ss', ẞ: 'SS', ø: 'o', Ø: 'O', ł: 'l', Ł: 'L', đ: 'd', Đ: 'D',
  þ: 'th', Þ: 'TH', ð: 'd', Ð: 'D', ı: 'i', ĳ: 'ij', Ĳ: 'IJ', ﬀ: 'ff', ﬁ: 'fi', ﬂ: 'fl', ﬃ: 'ffi', ﬄ: 'ffl', ﬅ: 'st', ﬆ: 'st',
};
const LIGATURE_RE = /[œŒæÆßẞøØłŁđĐþÞðÐıĳĲﬀﬁﬂﬃﬄﬅﬆ]/g;

export function foldText(text: string): string {
  return text.replace(LIGATURE_RE, (c) => LIGATURES[c] ?? c);
}

// eslint-disable-next-line no-control-regex -- every ASCII character, controls included
const ASCII = /^[\x00-\x7f]*$/;

/**
 * A word as the index sees it: ligatures spelled out, accents dropped, lower case (for matching in snippets).
 * Also takes a whole text (folding never moves a word boundary). ASCII needs only lower case: most words of most
 * mail, and the check is far cheaper than the Unicode normalisation (profiled: foldKey was the parse worker's
 * largest cost of its own, see docs/benchmarks.md).
 */
export function foldKey(word: string): string {
  if (ASCII.test(word)) return word.toLowerCase();
  return foldText(word).normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

/** Whether a text is plain ASCII (nothing for foldKey to do but lower case). */
export function isAscii(text: string): boolean {
  return ASCII.test(text);
}

/** Words the way SQLite's unicode61 tokenizer cuts them (letters and digits; anything else separates). */
export function words(text: string): string[] {
  return foldText(text).split(/[^\p{L}\p{N}\p{M}]+/u).filter(Boolean);
}

/**
 * foldText as an SQL expression over `expr` (nested replace() calls from the same table), for a migration that
 * rebuilds the index from text already in the database.
 */
export function foldTextSql(expr: string): string {
  let out = expr;
  for (const [from, to] of Object.entries(LIGATURES)) out = `replace(${out}, '${from}', '${to}')`;
  return out;
}

/**
 * Whether an HTML version may show a word its plain version lacks, judged without turning it into text. Why: most
 * mail sent in two versions says the same in both, and html-to-text (a document tree, then layout) was the largest
 * cost of the parse worker after the MIME parse (profiled, docs/benchmarks.md). When this says no, the merged text
 * would have been the plain version alone anyway (text-merge adds only lines with a new word), so the HTML is not
 * converted at all; when it says yes, or cannot tell, the HTML is converted and merged as before.
 *
 * The check reads a superset of the words html-to-text would give: the document from its first <body> on (what
 * html-to-text reads), tags removed, the text of <script>, <style> and the like kept, common character references
 * decoded. It answers "may add" (convert) whenever the superset is unsure: a character reference it does not decode,
 * a numbered list (html-to-text writes the numbers), or a tag it does not know between two letters (is it a word
 * break or not?).
 */
import { foldKey, words } from './fold.std.ts';

/** Elements html-to-text lays out as inline (a tag between two letters joins them into one word). */
const INLINE = new Set(['a', 'abbr', 'b', 'bdi', 'bdo', 'big', 'cite', 'code', 'del', 'dfn', 'em', 'font', 'i', 'ins', 'kbd', 'label', 'mark', 'q', 's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'time', 'tt', 'u', 'var', 'img', 'o:p']);
/**
 * Elements that end a word wherever they are (html-to-text's block formats, tried one by one). Table cells and list
 * items are not here: they end a word inside a table or a list only, so between two letters they count as unsure.
 */
const BREAK = new Set(['article', 'aside', 'blockquote', 'br', 'div', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'main', 'nav', 'p', 'pre', 'section', 'table', 'ul']);
/**
 * One regular expression for everything that is not text, so that nothing is looked at twice: elements whose content
 * is text (kept whole: group 2), comments, declarations and processing instructions, tags (name in group 3). Each
 * only when closed: an open '<' stays text.
 */
const MARKUP = /<(script|style|textarea|title|xmp|noscript)\b[^>]*>([\s\S]*?)<\/\1\s*>|<!--[\s\S]*?-->|<[!?][^>]*>|<\/?([a-zA-Z][^\s/>]*)[^>]*>/gi;
const NAMED: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const REF = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));/g;
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/** What a run of markup with no space inside stands for between two word characters: a break, nothing, or unsure. */
type Join = ' ' | '' | null;

export function htmlMayAddWords(html: string, known: ReadonlySet<string>): boolean {
  if (/<ol\b/i.test(html)) return true;
  const at = html.search(/<body\b/i);
  const src = at > 0 ? html.slice(at) : html;
  const out: string[] = [];
  let last = 0;
  // The run of markup being read: where it began and how it joins the text on its two sides.
  let runStart = -1;
  let join: Join = '';
  const endRun = (): boolean => {
    if (runStart === -1) return true;
    const before = src[runStart - 1] ?? ' ';
    const after = src[last] ?? ' ';
    const between = WORD_CHAR.test(before) && WORD_CHAR.test(after);
    runStart = -1;
    if (between && join === null) return false;
    out.push(between ? join ?? ' ' : ' ');
    return true;
  };
  MARKUP.lastIndex = 0;
  for (let m = MARKUP.exec(src); m; m = MARKUP.exec(src)) {
    if (m.index !== last) {
      if (!endRun()) return true;
      out.push(src.slice(last, m.index));
    }
    if (runStart === -1) {
      runStart = m.index;
      join = '';
    }
    const name = m[3]?.toLowerCase();
    if (m[1] !== undefined) {
      // script, style…: their text is kept apart (more words than shown, never fewer); between two letters, unsure
      out.push(' ', m[2], ' ');
      join = null;
    } else if (name === undefined) {
      // a comment or declaration joins what surrounds it
    } else if (BREAK.has(name)) {
      if (join === '') join = ' ';
    } else if (!INLINE.has(name)) join = null;
    last = m.index + m[0].length;
  }
  if (!endRun()) return true;
  out.push(src.slice(last));
  let unsure = false;
  const text = out.join('').replace(REF, (_ref: string, dec?: string, hex?: string, name?: string) => {
    if (name !== undefined) {
      const c = NAMED[name];
      if (c === undefined) unsure = true;
      return c ?? ' ';
    }
    const code = dec !== undefined ? Number(dec) : parseInt(hex ?? '', 16);
    if (code > 0x10ffff || code === 0) {
      unsure = true;
      return ' ';
    }
    return String.fromCodePoint(code);
  });
  // A reference left undecoded (not in the table, or without its ';'): the superset cannot say what it shows.
  if (unsure || /&[#a-zA-Z]/.test(text)) return true;
  for (const w of words(foldKey(text))) if (!known.has(w)) return true;
  return false;
}

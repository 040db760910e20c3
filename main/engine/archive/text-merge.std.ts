/**
 * One searchable text from the versions of a message a reader may see. A message often carries both a plain and an
 * HTML version; the plain one is sometimes a stub ("View this email in your browser"). The index takes the first
 * version whole and, from the other, only the lines that hold a word the first lacks: every visible word is found,
 * and words present in both are not counted twice (relevance stays fair to messages sent in one version only).
 */
import { foldKey, words } from './fold.std.ts';

/** The distinct words of a text, folded (accents dropped, lower case): what "a word the text lacks" is judged by. */
export function foldedWords(text: string): Set<string> {
  // Folded once as a whole (folding never moves a word boundary), not word by word: far cheaper on long texts.
  return new Set(words(foldKey(text)));
}

/** `known`, when given, must be foldedWords(first) (a caller that already has it); it is added to. */
export function mergeTexts(first: string, other: string, known?: Set<string>): string {
  if (!other.trim()) return first;
  if (!first.trim()) return other;
  const seen = known ?? foldedWords(first);
  // Split at every line break (empty lines hold no word): folding changes no line break, so the folded lines match
  // the lines one for one (a run of breaks would not: a line of accents alone folds to nothing).
  const lines = other.split('\n');
  const folded = foldKey(other).split('\n');
  const extra: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const ws = words(folded[i] ?? '');
    if (!ws.some((w) => !seen.has(w))) continue;
    extra.push(lines[i].trim());
    for (const w of ws) seen.add(w);
  }
  return extra.length ? `${first.trimEnd()}\n\n${extra.join('\n')}` : first;
}

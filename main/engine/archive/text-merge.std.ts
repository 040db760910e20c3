/**
 * One searchable text from the versions of a message a reader may see. A message often carries both a plain and an
 * HTML version; the plain one is sometimes a stub ("View this email in your browser"). The index takes the first
 * version whole and, from the other, only the lines that hold a word the first lacks: every visible word is found,
 * and words present in both are not counted twice (relevance stays fair to messages sent in one version only).
 */
import { foldKey, words } from './fold.std.ts';

export function mergeTexts(first: string, other: string): string {
  if (!other.trim()) return first;
  if (!first.trim()) return other;
  const known = new Set(words(first).map(foldKey));
  const extra: string[] = [];
  for (const line of other.split(/\n+/)) {
    const ws = words(line).map(foldKey);
    if (!ws.some((w) => !known.has(w))) continue;
    extra.push(line.trim());
    for (const w of ws) known.add(w);
  }
  return extra.length ? `${first.trimEnd()}\n\n${extra.join('\n')}` : first;
}

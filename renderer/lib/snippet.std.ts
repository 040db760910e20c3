/**
 * Search snippets arrive as HTML-escaped text with matched words in <mark>…</mark>.
 * We never hand them to innerHTML: we split on those two tags only and unescape the text,
 * so React renders plain text nodes and real <mark> elements. Any other tag stays visible text.
 */
export interface SnippetPart {
  text: string;
  marked: boolean;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'", '&apos;': "'" };

export function unescapeHtml(s: string): string {
  return s.replace(/&(?:amp|lt|gt|quot|apos|#39|#x27);/g, (m) => ENTITIES[m] ?? m);
}

export function splitSnippet(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  const re = /<mark>([\s\S]*?)<\/mark>/g;
  let last = 0;
  for (let m = re.exec(snippet); m; m = re.exec(snippet)) {
    if (m.index > last) parts.push({ text: unescapeHtml(snippet.slice(last, m.index)), marked: false });
    parts.push({ text: unescapeHtml(m[1]), marked: true });
    last = m.index + m[0].length;
  }
  if (last < snippet.length) parts.push({ text: unescapeHtml(snippet.slice(last)), marked: false });
  return parts.filter((p) => p.text.length > 0);
}

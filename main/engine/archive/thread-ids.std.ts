/**
 * The identifiers that tie a message to its conversation, read from its header block alone (the first bytes of the
 * stored message: cheap, no MIME parsing): its Message-ID, In-Reply-To and References (RFC 5322 §3.6.4).
 * Malformed headers are read generously and safely: ids without angle brackets are taken when they look like
 * local@domain, anything else is ignored, and a hostile References list is bounded.
 */

/** Only the header block is read; a header longer than this is cut (its ids past the cut are not seen). */
export const HEADER_BYTES = 64 * 1024;
/** The last references only: the nearest ancestors are the ones that link; a list of thousands is an attack. */
export const MAX_REFERENCES = 100;
/** An identifier longer than this is not an identifier (RFC 5322 lines are at most 998 characters). */
const MAX_ID = 250;

export interface ThreadHeaders {
  messageId: string | null;
  inReplyTo: string | null;
  /** Oldest first, as the header lists them, without duplicates, never containing messageId. */
  references: string[];
}

/** The ids in a header value: `<a@b> <c@d>` → ['a@b', 'c@d']; spaces inside brackets removed; no brackets: tokens with an @. */
export function parseIds(value: string | null | undefined): string[] {
  if (!value) return [];
  const out: string[] = [];
  const bracketed = value.match(/<[^<>]*>/g);
  const raw = bracketed ? bracketed.map((b) => b.slice(1, -1)) : value.split(/[\s,;]+/).filter((t) => t.includes('@'));
  for (const r of raw) {
    const id = r.replace(/\s+/g, '');
    if (id.length > 0 && id.length <= MAX_ID && !out.includes(id)) out.push(id);
  }
  return out;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Where the header block ends within `head`: the first empty line (`\r?\n\r?\n`, at its first byte), else the end.
 * Found on the bytes, so that only the header block is turned into text: turning the whole 64 KB into a string first
 * was a third of a migration's backup time (every message, in the storing transaction).
 */
export function headerEnd(head: Uint8Array): number {
  for (let i = head.indexOf(LF); i >= 0 && i + 1 < head.length; i = head.indexOf(LF, i + 1)) {
    if (head[i + 1] === LF || (head[i + 1] === CR && head[i + 2] === LF)) return i > 0 && head[i - 1] === CR ? i - 1 : i;
  }
  return head.length;
}

/** The header block as text, lines unfolded. Bytes are read as Latin-1: ids are ASCII, and this never throws. */
function headerBlock(raw: Uint8Array): string {
  const head = raw.subarray(0, HEADER_BYTES);
  const block = head.subarray(0, headerEnd(head));
  let text = '';
  for (let i = 0; i < block.length; i += 8192) text += String.fromCharCode(...block.subarray(i, i + 8192));
  return text.replace(/\r?\n[ \t]+/g, ' ');
}

/** The first value of each header we need (a message with two Message-ID lines keeps the first, as readers do). */
export function readThreadHeaders(raw: Uint8Array): ThreadHeaders {
  const values: Record<string, string> = {};
  for (const line of headerBlock(raw).split(/\r?\n/)) {
    const m = /^(message-id|in-reply-to|references)[ \t]*:(.*)$/i.exec(line);
    if (m && values[m[1].toLowerCase()] === undefined) values[m[1].toLowerCase()] = m[2];
  }
  const messageId = parseIds(values['message-id'])[0] ?? null;
  // In-Reply-To may carry an address or a phrase as well; the last id is the parent (RFC 5322 allows several).
  const parents = parseIds(values['in-reply-to']).filter((id) => id !== messageId);
  const inReplyTo = parents.length ? parents[parents.length - 1] : null;
  const references = parseIds(values['references'])
    .filter((id) => id !== messageId)
    .slice(-MAX_REFERENCES);
  return { messageId, inReplyTo, references };
}

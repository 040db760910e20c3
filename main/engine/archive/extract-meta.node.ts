/**
 * Metadata for search, from the raw bytes. Never throws: a malformed message is indexed with whatever could be read
 * (at worst its bytes read as text), because a parsing problem must never stop a backup.
 *
 * Two well-kept parsers, each where it is best:
 *  - postal-mime for messages already in memory (nearly all): fast, decodes every charset through TextDecoder
 *    (full ICU), turns HTML-only bodies into text;
 *  - mailparser for large messages on disk: it streams, so attachment bytes are only counted, never held.
 */
import { createReadStream } from 'node:fs';
import { type Address, type Email } from 'postal-mime';
import { parseForIndex } from './postal-index.node.ts';
import { MailParser, type AddressObject, type Headers } from 'mailparser';
import { convert } from 'html-to-text';
import type { MessageMeta } from './archive.types.std.ts';
import { withFastBlob } from './fast-blob.node.ts';
import { foldedWords, mergeTexts } from './text-merge.std.ts';
import { htmlMayAddWords } from './html-words.std.ts';
import { capTextParts } from './cap-text-parts.node.ts';

/** Body text kept for the index: beyond this the rest of a huge text part adds little to finding the message. */
export const MAX_INDEXED_TEXT = 512 * 1024;

/**
 * Raw bytes of each text part read when a message is parsed as a stream: enough for MAX_INDEXED_TEXT characters of
 * text, or of the HTML htmlText() reads for it (most HTML is markup), even quoted-printable; the rest is cut before
 * the parser (capTextParts), so a huge text body costs no more memory than a small one.
 */
export const MAX_PARSED_TEXT_BYTES = MAX_INDEXED_TEXT * 6;

function formatAddresses(list: Address[] | Address | undefined): string {
  if (!list) return '';
  const arr = Array.isArray(list) ? list : [list];
  const out: string[] = [];
  for (const a of arr) {
    if (a.group) {
      const members = a.group.map((m) => (m.name ? `${m.name} <${m.address}>` : m.address)).join(', ');
      out.push(a.name ? `${a.name}: ${members}` : members);
    } else if (a.name && a.address) out.push(`${a.name} <${a.address}>`);
    else out.push(a.address || a.name || '');
  }
  return out.filter(Boolean).join(', ');
}

function parseDate(value: string | Date | undefined | null): number | null {
  if (!value) return null;
  const t = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isFinite(t) ? t : null;
}

function cleanId(id: string | undefined | null): string | null {
  if (!id) return null;
  const t = id.trim();
  return t ? t : null;
}

/** Last resort for a message no parser accepts: the bytes as text, so its words can still be found. */
export function fallbackMeta(raw: Buffer): MessageMeta {
  const text = raw.subarray(0, MAX_INDEXED_TEXT).toString('utf8');
  const headerEnd = text.search(/\r?\n\r?\n/);
  const head = headerEnd >= 0 ? text.slice(0, headerEnd) : '';
  const subject = /^subject:[ \t]*(.*)$/im.exec(head)?.[1]?.trim() ?? '';
  const from = /^from:[ \t]*(.*)$/im.exec(head)?.[1]?.trim() ?? '';
  return { messageId: null, date: null, from, to: '', cc: '', subject, attachments: [], text: headerEnd >= 0 ? text.slice(headerEnd) : text };
}

// Windows-1252 letters at the C1 control positions 0x80-0x9F. Mail labelled ISO-8859-1 is very often really
// Windows-1252 (œ, €, curly quotes); C1 controls never belong in text, so reading them as Windows-1252 is safe.
const CP1252_C1 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
const C1_RE = /[\u0080-\u009f]/g;
export function fixC1(s: string): string {
  return s.replace(C1_RE, (c) => CP1252_C1[c.charCodeAt(0) - 0x80] ?? c);
}

const HTML_OPTIONS = {
  wordwrap: false as const,
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    // keep the author's case: the viewer and snippets show this text
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
  ],
};

/**
 * HTML longer than this is turned into text piece by piece, each piece ending before a tag. Why: html-to-text builds
 * the whole document tree first, tens of bytes of memory per byte of HTML (an 80 MB HTML message took the backup to
 * 266 MB even cut to 1 MB); a piece's tree is garbage once its text is out. A piece may cut an element in two: the
 * words on each side are still found, only the layout of that spot differs.
 */
const HTML_PIECE = 256 * 1024;

/** HTML to plain words for the index: no links, no images, no wrapping; at most the first MAX_INDEXED_TEXT * 4 characters read. */
export function htmlText(html: string): string {
  const src = html.length > MAX_INDEXED_TEXT * 4 ? html.slice(0, MAX_INDEXED_TEXT * 4) : html;
  const out: string[] = [];
  let length = 0;
  for (let at = 0; at < src.length && length < MAX_INDEXED_TEXT; ) {
    let end = Math.min(src.length, at + HTML_PIECE);
    if (end < src.length) {
      const tag = src.lastIndexOf('<', end);
      if (tag > at) end = tag;
    }
    const text = pieceText(src.slice(at, end));
    out.push(text);
    length += text.length + 1;
    at = end;
  }
  return out.join('\n');
}

function pieceText(html: string): string {
  try {
    return convert(html, HTML_OPTIONS);
  } catch {
    return html.replace(/<[^>]*>/g, ' ');
  }
}

function byteLength(content: ArrayBuffer | Uint8Array | string): number {
  if (typeof content === 'string') return Buffer.byteLength(content);
  return content.byteLength;
}

/** Forwarded messages inside forwarded messages: deeper ones are only named (a hostile nesting stops here). */
const MAX_FORWARD_DEPTH = 3;

/**
 * The text a reader sees of a message: plain and HTML versions merged (never one hiding the other). The HTML is
 * turned into text only when it may hold a word the plain version lacks (htmlMayAddWords): otherwise the merge would
 * give the plain version alone, at the cost of a conversion.
 */
export function visibleOf(plain: string, html: string): string {
  if (!html) return plain;
  if (!plain.trim()) return mergeTexts(plain, htmlText(html));
  const known = foldedWords(plain);
  if (!htmlMayAddWords(html, known)) return plain;
  return mergeTexts(plain, htmlText(html), known);
}

function visibleText(email: Email): string {
  return visibleOf(email.text ?? '', email.html ?? '');
}

function dateLine(value: string | undefined): string {
  const t = parseDate(value);
  return t === null ? value ?? '' : new Date(t).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * Forwarded messages sent as attachments (message/rfc822 with a file name or "attachment" disposition): their
 * headers and text, as the viewer shows them. postal-mime already puts inline forwarded messages into the text.
 */
async function forwardedText(email: Email, depth: number): Promise<string> {
  const out: string[] = [];
  for (const a of email.attachments) {
    if (a.mimeType.toLowerCase() !== 'message/rfc822' || typeof a.content === 'string') continue;
    const bytes = a.content instanceof ArrayBuffer ? new Uint8Array(a.content) : a.content;
    if (!bytes.byteLength) continue;
    try {
      const inner = await parseForIndex(bytes, { attachmentEncoding: 'arraybuffer' });
      const head = [
        inner.from ? `From: ${formatAddresses(inner.from)}` : '',
        inner.to?.length ? `To: ${formatAddresses(inner.to)}` : '',
        inner.cc?.length ? `Cc: ${formatAddresses(inner.cc)}` : '',
        inner.date ? `Date: ${dateLine(inner.date)}` : '',
        inner.subject ? `Subject: ${inner.subject.trim()}` : '',
      ].filter(Boolean);
      const nested = depth + 1 < MAX_FORWARD_DEPTH ? await forwardedText(inner, depth + 1) : '';
      out.push(['---', ...head, '', visibleText(inner), nested].filter(Boolean).join('\n'));
    } catch {
      // an unreadable forwarded message keeps only its name (listed with the attachments)
    }
  }
  return out.join('\n\n');
}

/** Parse a message held in memory. */
export async function extractMeta(raw: Buffer): Promise<MessageMeta> {
  try {
    // binary attachment bodies counted, not decoded: the index keeps their names and sizes only
    const email = await withFastBlob(() => parseForIndex(raw, { attachmentEncoding: 'arraybuffer' }));
    const forwarded = await forwardedText(email, 0);
    const text = visibleText(email);
    return {
      messageId: cleanId(email.messageId),
      date: parseDate(email.date),
      from: formatAddresses(email.from),
      to: formatAddresses(email.to),
      cc: formatAddresses(email.cc),
      bcc: formatAddresses(email.bcc),
      subject: fixC1((email.subject ?? '').trim()),
      attachments: email.attachments
        .filter((a) => a.disposition === 'attachment' || a.filename)
        .map((a) => ({ filename: a.filename ?? '', contentType: a.mimeType, size: byteLength(a.content) })),
      text: fixC1(forwarded ? `${text.trimEnd()}\n\n${forwarded}` : text).slice(0, MAX_INDEXED_TEXT),
    };
  } catch {
    return fallbackMeta(raw);
  }
}

function addressText(v: AddressObject | AddressObject[] | undefined): string {
  if (!v) return '';
  const arr = Array.isArray(v) ? v : [v];
  return arr
    .flatMap((o) => o.value)
    .map((m) => (m.name && m.address ? `${m.name} <${m.address}>` : m.address || m.name || ''))
    .filter(Boolean)
    .join(', ');
}

/** Parse a message on disk by streaming it: memory stays small whatever the size. */
export function extractMetaFromFile(file: string): Promise<MessageMeta> {
  return extractMetaFromStream(createReadStream(file, { highWaterMark: 256 * 1024 }));
}

/**
 * Parse a message from a stream of its raw bytes (memory stays small whatever the size): attachments are counted as
 * they pass, text bodies are cut after MAX_PARSED_TEXT_BYTES before mailparser gathers them.
 */
export function extractMetaFromStream(raw: NodeJS.ReadableStream): Promise<MessageMeta> {
  return new Promise((resolve) => {
    const meta: MessageMeta = { messageId: null, date: null, from: '', to: '', cc: '', subject: '', attachments: [], text: '' };
    const input = capTextParts(raw, MAX_PARSED_TEXT_BYTES);
    // skipHtmlToText: an HTML-only message is turned into text once, by htmlText() below, not by mailparser too.
    const parser = new MailParser({ skipImageLinks: true, skipTextToHtml: true, skipHtmlToText: true, checksumAlgo: false } as ConstructorParameters<typeof MailParser>[0]);
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      resolve(meta);
    };
    parser.on('headers', (h: Headers) => {
      meta.subject = fixC1(String(h.get('subject') ?? '').trim());
      meta.from = addressText(h.get('from') as AddressObject | undefined);
      meta.to = addressText(h.get('to') as AddressObject | undefined);
      meta.cc = addressText(h.get('cc') as AddressObject | undefined);
      meta.bcc = addressText(h.get('bcc') as AddressObject | undefined);
      meta.date = parseDate(h.get('date') as Date | undefined);
      meta.messageId = cleanId(h.get('message-id') as string | undefined);
    });
    parser.on('data', (data) => {
      if (data.type === 'text') {
        const text = visibleOf(data.text ? String(data.text) : '', data.html ? String(data.html) : '');
        meta.text = fixC1(text).slice(0, MAX_INDEXED_TEXT);
        return;
      }
      let size = 0;
      const entry = { filename: data.filename ?? '', contentType: data.contentType ?? 'application/octet-stream', size: 0 };
      meta.attachments.push(entry);
      data.content.on('data', (c: Buffer) => {
        size += c.length;
      });
      data.content.on('end', () => {
        entry.size = size;
        data.release?.();
      });
    });
    parser.on('error', finish);
    parser.on('end', finish);
    input.on('error', finish);
    input.pipe(parser);
  });
}

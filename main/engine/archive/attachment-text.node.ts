/**
 * The text inside one attachment, for the search index. Runs in the attachment worker (attachment.worker.ts), which
 * the archive can terminate: a file that loops or swells is stopped from outside (time, heap). The checks here stop
 * what can be seen before reading: too many bytes, a zip whose entries say they unpack to too much (a zip bomb),
 * an encrypted PDF.
 *
 * Libraries (see docs/search.md): unpdf for PDF (Mozilla's PDF.js built for servers, MIT, kept by UnJS); fflate for
 * the zip container of OOXML and OpenDocument files (MIT, no dependency), whose XML is read by the small text pass
 * below; html-to-text (already used for mail) for HTML; RTF by a small reader of its control words.
 */
import { Unzip, UnzipInflate } from 'fflate';
import type { AttachmentKind } from './attachment-kind.std.ts';
import { htmlText, MAX_INDEXED_TEXT } from './extract-meta.node.ts';

/** An attachment larger than this (decoded) is not read: its name is still found. */
export const MAX_ATTACHMENT_BYTES = 40 * 1024 * 1024;
/** What the entries read in one office file may unpack to, together (their declared sizes). */
export const MAX_UNPACKED_BYTES = 64 * 1024 * 1024;
/** Text kept per attachment: like a message's own text, the rest adds little to finding it. */
export const MAX_ATTACHMENT_TEXT = MAX_INDEXED_TEXT;
/** Bytes of a zip handed to the unpacker at a time. */
const ZIP_PIECE = 8 * 1024;
/** Pages of a PDF read at most. */
const MAX_PDF_PAGES = 2000;

/** Why an attachment's text could not be read; each is counted in the summary. */
export type UnreadableReason = 'too-large' | 'zip-bomb' | 'encrypted' | 'malformed' | 'timeout' | 'memory';

export class AttachmentUnreadable extends Error {
  constructor(readonly reason: UnreadableReason, detail = '') {
    super(`${reason}${detail ? `: ${detail}` : ''}`);
  }
}

function cap(text: string): string {
  const t = text.replace(/[ \t\f\v\u00a0]+/g, ' ').replace(/\s*\n\s*/g, '\n').trim();
  return t.length > MAX_ATTACHMENT_TEXT ? t.slice(0, MAX_ATTACHMENT_TEXT) : t;
}

/** The text of an attachment's bytes, or AttachmentUnreadable. */
export async function attachmentText(kind: AttachmentKind, bytes: Uint8Array): Promise<string> {
  if (bytes.byteLength > MAX_ATTACHMENT_BYTES) throw new AttachmentUnreadable('too-large', `${bytes.byteLength} bytes`);
  switch (kind) {
    case 'pdf':
      return cap(await pdfText(bytes));
    case 'docx':
      return cap(zipXmlText(bytes, (n) => n === 'word/document.xml' || /^word\/(header|footer|footnotes|endnotes)\d*\.xml$/.test(n)));
    case 'xlsx':
      // words live in the shared strings; a sheet's own inline strings too (numbers are left out: cell references)
      return cap(zipXmlText(bytes, (n) => n === 'xl/sharedStrings.xml' || /^xl\/worksheets\/sheet\d+\.xml$/.test(n), inlineStringsOnly));
    case 'pptx':
      return cap(zipXmlText(bytes, (n) => /^ppt\/(slides|notesSlides)\/(slide|notesSlide)\d+\.xml$/.test(n)));
    case 'odt':
    case 'ods':
    case 'odp':
      return cap(zipXmlText(bytes, (n) => n === 'content.xml'));
    case 'rtf':
      return cap(rtfText(decodeText(bytes)));
    case 'html':
      return cap(htmlText(decodeText(bytes)));
    case 'text':
    case 'csv':
      // a CSV's separators and quotes become spaces: the words of each cell stay words
      return cap(kind === 'csv' ? decodeText(bytes).replace(/[,;\t|"]+/g, ' ') : decodeText(bytes));
  }
}

/** UTF-8 when the bytes are UTF-8, else Windows-1252 (what older French software writes). */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\ufeff/, '');
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

// ---------- zip containers (OOXML, OpenDocument) ----------

/**
 * The entries `wanted` of a zip, unpacked as a stream: each entry's declared size is checked before it is unpacked
 * (a zip bomb says what it holds), then its real size as it comes out (one that lies is stopped at its word).
 */
export function unzipWanted(bytes: Uint8Array, wanted: (name: string) => boolean): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  let total = 0;
  let failure: AttachmentUnreadable | null = null;
  const unzip = new Unzip((file) => {
    if (failure || !wanted(file.name)) return;
    const declared = file.originalSize;
    if (declared !== undefined && total + declared > MAX_UNPACKED_BYTES) {
      failure = new AttachmentUnreadable('zip-bomb', `${file.name}: ${declared} bytes declared`);
      return;
    }
    // an entry that gives no size (a data descriptor follows it) may fill what is left of the allowance
    const limit = declared ?? MAX_UNPACKED_BYTES - total;
    const chunks: Uint8Array[] = [];
    let size = 0;
    file.ondata = (err, chunk, final) => {
      if (failure) return;
      if (err) {
        failure = new AttachmentUnreadable('malformed', err.message);
        return;
      }
      size += chunk.length;
      total += chunk.length;
      if (size > limit) {
        failure = new AttachmentUnreadable('zip-bomb', `${file.name}: more than the ${limit} bytes declared`);
        file.terminate();
        return;
      }
      chunks.push(chunk);
      if (final) files[file.name] = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    // Small pieces: what one piece inflates to stays small (deflate: about 1,000 times at most), and a lie is
    // caught within a piece of where it starts.
    for (let at = 0; at < bytes.byteLength && !failure; at += ZIP_PIECE) {
      const end = Math.min(bytes.byteLength, at + ZIP_PIECE);
      unzip.push(bytes.subarray(at, end), end === bytes.byteLength);
    }
  } catch (e) {
    if (!failure) failure = new AttachmentUnreadable('malformed', (e as Error).message);
  }
  if (failure) throw failure;
  return files;
}

function zipXmlText(bytes: Uint8Array, wanted: (name: string) => boolean, pick: (xml: string, name: string) => string = xmlText): string {
  const files = unzipWanted(bytes, wanted);
  const names = Object.keys(files).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (!names.length) throw new AttachmentUnreadable('malformed', 'no text part');
  return names.map((n) => pick(decodeText(files[n]), n)).join('\n');
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp > 0 && cp < 0x110000 ? String.fromCodePoint(cp) : ' ';
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/**
 * The words of an office XML part: tags dropped, a paragraph, row, cell, tab or line break ending a line or a word.
 * Text runs (w:t, a:t, text:span) join without a space, as the reader sees them.
 */
export function xmlText(xml: string): string {
  return decodeEntities(
    xml
      .replace(/<(w:instrText|w:delText|mc:Fallback)\b[^>]*>[\s\S]*?<\/\1>/g, ' ') // field codes, deleted text, duplicate drawings
      .replace(/<\/(w:p|a:p|text:p|text:h|table:table-row|row|si)>/g, '\n')
      .replace(/<(w:tab|w:br|text:tab|text:line-break|text:s|a:br)\b[^>]*\/?>|<\/(w:tc|table:table-cell|c)>/g, ' ')
      .replace(/<[^>]*>/g, ''),
  );
}

/** A worksheet: only its inline strings (shared ones are in sharedStrings.xml; values are numbers). */
function inlineStringsOnly(xml: string, name: string): string {
  if (!name.includes('worksheets/')) return xmlText(xml);
  const out: string[] = [];
  for (const m of xml.matchAll(/<is>([\s\S]*?)<\/is>/g)) out.push(xmlText(m[1]));
  return out.join('\n');
}

// ---------- PDF ----------

async function pdfText(bytes: Uint8Array): Promise<string> {
  const { getDocumentProxy } = await import('unpdf');
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // a copy: PDF.js may take the buffer over
    pdf = await getDocumentProxy(bytes.slice(), { disableFontFace: true, stopAtErrors: false, verbosity: 0 });
  } catch (e) {
    const name = (e as { name?: string }).name ?? '';
    if (name === 'PasswordException') throw new AttachmentUnreadable('encrypted');
    throw new AttachmentUnreadable('malformed', (e as Error).message);
  }
  try {
    const out: string[] = [];
    let length = 0;
    const pages = Math.min(pdf.numPages, MAX_PDF_PAGES);
    for (let i = 1; i <= pages && length < MAX_ATTACHMENT_TEXT; i++) {
      const page = await pdf.getPage(i);
      const content = await page.getTextContent();
      let line = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        line += item.str;
        if (item.hasEOL) line += '\n';
        else if (item.str && !line.endsWith(' ')) line += ' ';
      }
      out.push(line);
      length += line.length;
      page.cleanup();
    }
    return out.join('\n');
  } catch (e) {
    throw new AttachmentUnreadable('malformed', (e as Error).message);
  } finally {
    await pdf.loadingTask.destroy().catch(() => undefined);
  }
}

// ---------- RTF ----------

/** Destinations whose text is not the document's (fonts, colours, styles, pictures, metadata). */
const RTF_SKIP = new Set(['fonttbl', 'colortbl', 'stylesheet', 'info', 'pict', 'object', 'header', 'footer', 'themedata', 'colorschememapping', 'datastore', 'latentstyles', 'listtable', 'listoverridetable', 'rsidtbl', 'generator', 'xmlnstbl', 'fldinst']);

/** A small reader of RTF's control words: text, \'hh (Windows-1252) and \uN escapes, paragraph ends. */
export function rtfText(rtf: string): string {
  const out: string[] = [];
  const cp1252 = new TextDecoder('windows-1252');
  const stack: { skip: boolean; uc: number }[] = [];
  let skip = false;
  let uc = 1;
  let pendingSkip = 0;
  for (let i = 0; i < rtf.length; ) {
    const c = rtf[i];
    if (c === '{') {
      stack.push({ skip, uc });
      i++;
      if (rtf.startsWith('\\*', i)) skip = true;
      continue;
    }
    if (c === '}') {
      const s = stack.pop();
      if (s) ({ skip, uc } = s);
      i++;
      continue;
    }
    if (c === '\\') {
      const next = rtf[i + 1];
      if (next === "'") {
        const code = parseInt(rtf.slice(i + 2, i + 4), 16);
        i += 4;
        if (pendingSkip > 0) pendingSkip--;
        else if (!skip && Number.isFinite(code)) out.push(cp1252.decode(new Uint8Array([code])));
        continue;
      }
      if (next === '\\' || next === '{' || next === '}') {
        if (!skip) out.push(next);
        i += 2;
        continue;
      }
      const m = /^\\([a-z]{1,32})(-?\d{1,10})? ?/.exec(rtf.slice(i, i + 45));
      if (!m) {
        i += 2;
        continue;
      }
      i += m[0].length;
      const word = m[1];
      const arg = m[2] !== undefined ? Number(m[2]) : null;
      if (RTF_SKIP.has(word)) skip = true;
      else if (word === 'uc' && arg !== null) uc = arg;
      else if (word === 'u' && arg !== null) {
        if (!skip) out.push(String.fromCharCode(arg < 0 ? arg + 65536 : arg));
        pendingSkip = uc;
      } else if (!skip && (word === 'par' || word === 'line' || word === 'row')) out.push('\n');
      else if (!skip && (word === 'tab' || word === 'cell')) out.push(' ');
      continue;
    }
    if (c === '\r' || c === '\n') {
      i++;
      continue;
    }
    if (pendingSkip > 0) pendingSkip--;
    else if (!skip) out.push(c);
    i++;
  }
  return out.join('');
}

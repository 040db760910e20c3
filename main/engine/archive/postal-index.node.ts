/**
 * postal-mime, parsing for the search index only: the bodies of binary attachments (images, PDF, office files, video)
 * are counted, not decoded. Why: the index keeps an attachment's name, type and size, never its bytes, and decoding
 * base64 was the largest cost of a backup of attachment-heavy mail (profiled on the bench's corpus b: base64
 * decoding plus the garbage it leaves was about a third of the parse worker's time). The stored message is untouched
 * (its raw bytes are kept exactly, elsewhere); only this parse skips work.
 *
 * Two steps. First the base64 bodies of binary parts are cut out before postal-mime reads the message (it walks every
 * byte in JavaScript and awaits once per line: most of its time on such mail), each replaced by one marker line that
 * says how many base64 characters it held. Then, since postal-mime has no option
 * for it, the parse marks its own parser instance, and the part decoder postal-mime
 * sets up for each MIME part (MimeNode.setupContentDecoder) is swapped for a counter when the part is base64 and not
 * text, a message or a calendar. Any other parse (the viewer, an export) decodes everything as before. If a future
 * postal-mime renames that method, `skipsBinaryBodies()` says so and every part is decoded again (slower, same result).
 */
import PostalMime, { type Email, type PostalMimeOptions } from 'postal-mime';

const SKIP = Symbol('arche.countBinaryBodies');

interface NodeLike {
  contentType: { parsed: { value: string } };
  contentDecoder: unknown;
  postalMime: Record<symbol, unknown>;
}

/** postal-mime's base64 length rule (decode-strings.ts), per unit between '=' runs. */
function decodedLength(len: number): number {
  if (len % 4 === 1) len--;
  const r = len % 4;
  return Math.floor(len / 4) * 3 + (r ? r - 1 : 0);
}

const B64 = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') B64[c.charCodeAt(0)] = 1;

/** Stands in for postal-mime's Base64Decoder: counts the bytes the part decodes to, keeps none of them. */
class Base64Counter {
  private unit = 0;
  private inPad = false;
  private total = 0;
  update(line: Uint8Array): void {
    if (line[0] === MARK0 && startsWithMarker(line)) {
      this.unit += Number(Buffer.from(line.buffer, line.byteOffset + MARKER.length, line.byteLength - MARKER.length).toString('latin1'));
      this.inPad = false;
      return;
    }
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (B64[c]) {
        this.unit++;
        this.inPad = false;
      } else if (c === 61 && !this.inPad) {
        // '=' ends a base64 unit (some mailers pad every line): the next unit starts fresh
        this.total += decodedLength(this.unit);
        this.unit = 0;
        this.inPad = true;
      }
    }
  }
  finalize(): Promise<ArrayBuffer> {
    this.total += decodedLength(this.unit);
    this.unit = 0;
    // Only byteLength is read (the attachment's size); no bytes are allocated.
    return Promise.resolve({ byteLength: this.total } as ArrayBuffer);
  }
}

/** Stands for a run of base64 characters cut out (not base64 itself: '!' and '-' are outside its alphabet). */
const MARKER = Buffer.from('!arche-b64-chars:', 'latin1');
const MARK0 = MARKER[0];
function startsWithMarker(line: Uint8Array): boolean {
  if (line.length <= MARKER.length) return false;
  for (let i = 0; i < MARKER.length; i++) if (line[i] !== MARKER[i]) return false;
  return true;
}

/** Bodies shorter than this are left to postal-mime: not worth cutting. */
const MIN_CUT = 1024;
const NL_DASHES = Buffer.from('\n--', 'latin1');
const BLANK = Buffer.from('\n\n', 'latin1');
const BLANK_CRLF = Buffer.from('\n\r\n', 'latin1');

function countByte(b: Buffer, byte: number): number {
  let n = 0;
  for (let i = b.indexOf(byte); i !== -1; i = b.indexOf(byte, i + 1)) n++;
  return n;
}

/**
 * The message with the bodies of binary base64 parts replaced by markers. A body is cut only where a part's headers
 * (between its boundary line and the blank line that ends them) say base64 and a binary type; it runs to the next
 * line that starts with "--" (a base64 body cannot hold '-'). Text parts, headers and anything postal-mime reads as
 * text are untouched. Native Buffer searches only: a JavaScript loop over the bytes is what this avoids.
 */
export function cutBinaryRuns(raw: Buffer): Buffer {
  const out: Buffer[] = [];
  let last = 0;
  // Only the blank line that ends a header block is looked at: the message's own, then the first one after each line
  // that starts with "--" (a boundary). Looking at every blank line (each paragraph of a long text) and searching
  // back from it cost about a tenth of the parse worker's time on text mail (profiled, docs/benchmarks.md).
  let pos = 0;
  // Where each kind of blank line was last found: a search is made again only once pos has passed it. A message
  // keeps to one kind of line ending, so the other kind's search would scan to the end of the message for every part
  // (profiled: searches were 40 % of this function's time on corpus b, most of them finding nothing).
  let lf = -2;
  let crlf = -2;
  while (pos < raw.length) {
    if (lf !== -1 && lf < pos) lf = raw.indexOf(BLANK, pos);
    if (crlf !== -1 && crlf < pos) crlf = raw.indexOf(BLANK_CRLF, pos);
    if (lf === -1 && crlf === -1) break;
    const useLf = lf !== -1 && (crlf === -1 || lf < crlf);
    const blank = useLf ? lf : crlf;
    const start = blank + (useLf ? 2 : 3);
    const opened = raw.lastIndexOf(NL_DASHES, blank);
    const headers = raw.subarray(opened < 0 ? 0 : opened, blank).toString('latin1');
    const cut = /^content-transfer-encoding:[ \t]*base64/im.test(headers) && isBinaryPart(/^content-type:[ \t]*([^;\s]+)/im.exec(headers)?.[1] ?? 'text/plain');
    // The next header block opens at the next "--" line, which may begin with this blank line's last line break.
    const opensHere = raw[start] === DASH && raw[start + 1] === DASH;
    if (!cut) {
      const nextBlock = opensHere ? start - 1 : raw.indexOf(NL_DASHES, start);
      pos = nextBlock === -1 ? raw.length : nextBlock;
      continue;
    }
    const next = nextDashLine(raw, start);
    pos = opensHere ? start - 1 : next === -1 ? raw.length : next;
    const end = next === -1 ? raw.length : next;
    if (end - start < MIN_CUT) continue;
    const body = raw.subarray(start, end);
    // '=' ends a unit: only at the very end of the body is it simple padding; anything else is left to postal-mime.
    const eq = body.indexOf(61);
    if (eq !== -1 && eq < body.length - 6) continue;
    // One search per line for LF; when the first line ends in CRLF all are taken to (a mixed body would only make
    // the reported size a little off). The body ends with the CR of the line break before the boundary.
    const lines = countByte(body, 10);
    const firstLf = body.indexOf(10);
    const rare = (b: number): number => (body.indexOf(b) === -1 ? 0 : countByte(body, b));
    const crs = firstLf > 0 && body[firstLf - 1] === 13 ? lines + (body[body.length - 1] === 13 ? 1 : 0) : rare(13);
    const chars = body.length - lines - crs - rare(61) - rare(32) - rare(9);
    out.push(raw.subarray(last, start), Buffer.from(`${MARKER.toString('latin1')}${chars}`, 'latin1'));
    last = end;
    pos = end;
  }
  if (!out.length) return raw;
  out.push(raw.subarray(last));
  return Buffer.concat(out);
}

const DASH = 0x2d;
const LF_BYTE = 0x0a;

/**
 * raw.indexOf("\n--", from), found through its dashes: memchr for one byte is several times faster than the search
 * for three, and the body of a base64 part, where this looks, holds no dash at all (profiled on corpus b: the search
 * through attachment bodies was most of this function's time).
 */
function nextDashLine(raw: Buffer, from: number): number {
  for (let i = raw.indexOf(DASH, from + 1); i !== -1; i = raw.indexOf(DASH, i + 1)) {
    if (raw[i - 1] === LF_BYTE && raw[i + 1] === DASH) return i - 1;
  }
  return -1;
}

/** Parts whose decoded bytes the index never reads. */
function isBinaryPart(type: string): boolean {
  const t = type.toLowerCase();
  return !(t.startsWith('text/') || t.startsWith('message/') || t.startsWith('multipart/') || t === 'application/ics' || t === '');
}

let patched = false;
function patchOnce(): void {
  if (patched) return;
  patched = true;
  const root = (new PostalMime() as unknown as { root?: object }).root;
  const proto = root ? (Object.getPrototypeOf(root) as { setupContentDecoder?: (this: NodeLike, enc: string) => void }) : null;
  const original = proto?.setupContentDecoder;
  if (!proto || typeof original !== 'function') return;
  proto.setupContentDecoder = function (this: NodeLike, enc: string): void {
    original.call(this, enc);
    if (this.postalMime?.[SKIP] === true && /base64/i.test(enc) && isBinaryPart(this.contentType.parsed.value)) this.contentDecoder = new Base64Counter();
  };
  skipping = true;
}
let skipping = false;

/** Whether binary attachment bodies are counted rather than decoded (false if postal-mime changed inside). */
export function skipsBinaryBodies(): boolean {
  patchOnce();
  return skipping;
}

/**
 * Parse for the index: text, headers and attachment names/types/sizes as postal-mime gives them; the `content` of a
 * binary base64 attachment carries only its byteLength.
 */
export function parseForIndex(raw: Buffer | Uint8Array, options: PostalMimeOptions = {}): Promise<Email> {
  patchOnce();
  const parser = new PostalMime(options);
  (parser as unknown as Record<symbol, unknown>)[SKIP] = true;
  // Without the counting decoder a marker would be read as base64: cut only when it is in place.
  return parser.parse(skipping ? cutBinaryRuns(Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength)) : raw);
}

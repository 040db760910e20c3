/**
 * The raw bytes of a message, with each text body (what mailparser reads as the message's text: text/plain, text/html,
 * message/delivery-status, not an attachment) cut after its first `maxBytes`. For the search index only.
 * Why: mailparser gathers a text part's whole text in memory (its chunks, then one string, then a copy with its line
 * ends changed; for HTML also the text it makes from it) before handing it over, and Arche keeps only the first
 * MAX_INDEXED_TEXT characters of it. An 80 MB text/plain message cost 455 MB of peak memory, an 80 MB HTML one 639 MB.
 * Cut before mailparser sees them, text bodies cost at most a few MB each, whatever their size.
 * Attachments go through whole (mailparser streams them and Arche only counts their bytes), and so do headers and
 * MIME structure: mailsplit's Splitter and Joiner give back the same bytes, except the text cut off.
 * The stored message is never this stream: its exact bytes are kept apart (prepareLargeMessage).
 */
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import mailsplit, { type MimeNode, type SplitterChunk } from '@zone-eu/mailsplit';

/** Parts mailparser takes as text when inline (mail-parser.js, textTypes). */
const TEXT_TYPES = new Set(['text/plain', 'text/html', 'message/delivery-status']);

/** Would mailparser read this node's body as text (not as an attachment)? Same rule as its processNode. */
function isTextBody(node: MimeNode): boolean {
  if (node.multipart) return false;
  const type = node.contentType || (node.root ? 'text/plain' : '');
  if (!TEXT_TYPES.has(type)) return false;
  return !node.disposition || node.disposition === 'inline';
}

/** Drops the body bytes of text parts beyond `maxBytes`, ending what is kept at a line end when there is one. */
class TextCap extends Transform {
  /** The text node whose body is coming, and how many of its bytes went through. */
  private node: MimeNode | null = null;
  private kept = 0;

  constructor(private readonly maxBytes: number) {
    super({ objectMode: true });
  }

  override _transform(chunk: SplitterChunk, _enc: BufferEncoding, done: TransformCallback): void {
    // Headers of a node, MIME structure between parts, bodies that are not text: passed on as they are.
    if (!('value' in chunk) || chunk.type !== 'body' || !chunk.value || !isTextBody(chunk.node)) {
      done(null, chunk);
      return;
    }
    if (chunk.node !== this.node) {
      this.node = chunk.node;
      this.kept = 0;
    }
    const room = this.maxBytes - this.kept;
    if (room <= 0) {
      done();
      return;
    }
    if (chunk.value.length <= room) {
      this.kept += chunk.value.length;
      done(null, chunk);
      return;
    }
    // Cut at the last line end within the room (no half line, no half escape), or at the room when there is none.
    // Whatever follows a cut body in the structure (a boundary) begins with its own line end, so it stays a boundary.
    const nl = chunk.value.lastIndexOf(0x0a, room - 1);
    const end = nl >= 0 ? nl + 1 : room;
    this.kept = this.maxBytes;
    done(null, { ...chunk, value: chunk.value.subarray(0, end) });
  }
}

/** `input` as raw message bytes with every text body cut after `maxBytes` (errors of any step end the stream). */
export function capTextParts(input: NodeJS.ReadableStream, maxBytes: number): Readable {
  // mailsplit declares its streams with a 'data' event only; they are Transforms with all their events.
  const splitter = new mailsplit.Splitter() as unknown as Transform;
  const cap = new TextCap(maxBytes);
  const joiner = new mailsplit.Joiner() as unknown as Transform;
  const fail = (e: Error): void => {
    joiner.destroy(e);
  };
  input.on('error', fail);
  splitter.on('error', fail);
  cap.on('error', fail);
  input.pipe(splitter).pipe(cap).pipe(joiner);
  return joiner;
}

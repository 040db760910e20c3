/**
 * mboxrd, the mbox variant that loses nothing: every body line that starts with ">*From " gets one more '>'
 * on the way out and loses one on the way in, so "From " lines inside messages survive a round trip.
 * Each message is written as: From_ line, the raw bytes as they are (CRLF kept), then one "\n"; a reader strips
 * exactly that "\n" back, so export → import gives the same bytes.
 */
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { closeSync, createReadStream, openSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const FROM = Buffer.from('From ');
const NL = 0x0a;

/** True when `buf` at `pos` starts with ">*From ". */
function isQuotedFrom(buf: Buffer, pos: number): boolean {
  let i = pos;
  while (i < buf.length && buf[i] === 0x3e) i++;
  return buf.length - i >= 5 && buf.compare(FROM, 0, 5, i, i + 5) === 0;
}

/** Add one '>' before every line that starts with ">*From ". */
export function quoteFromLines(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  let lineStart = 0;
  while (lineStart < raw.length) {
    if ((raw[lineStart] === 0x3e || raw[lineStart] === 0x46) && isQuotedFrom(raw, lineStart)) {
      parts.push(raw.subarray(start, lineStart), Buffer.from('>'));
      start = lineStart;
    }
    const nl = raw.indexOf(NL, lineStart);
    if (nl < 0) break;
    lineStart = nl + 1;
  }
  if (!parts.length) return raw;
  parts.push(raw.subarray(start));
  return Buffer.concat(parts);
}

/** Remove one '>' from one line if it starts with ">+From ". */
function unquoteLine(line: Buffer): Buffer {
  return line[0] === 0x3e && isQuotedFrom(line, 0) ? line.subarray(1) : line;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "From sender Mon Jan  2 10:00:00 2023" (asctime, UTC), as mail readers expect. */
export function fromLine(sender: string, date: number): string {
  const d = new Date(Number.isFinite(date) ? date : 0);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const addr = /[^\s<>"]+@[^\s<>"]+/.exec(sender)?.[0] ?? 'MAILER-DAEMON';
  return `From ${addr} ${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${d.getUTCFullYear()}\n`;
}

export function mboxEntry(sender: string, date: number, raw: Buffer): Buffer {
  return Buffer.concat([Buffer.from(fromLine(sender, date)), quoteFromLines(raw), Buffer.from('\n')]);
}

export interface MboxMessage {
  /** The message in memory, or (large messages) spilled to a temp file the caller then owns. */
  raw: Buffer | { file: string; size: number; sha256: string };
  /** date from the From_ line, ms (NaN when unreadable) */
  fromDate: number;
}

/** Above this size a message read from an mbox goes to a temp file instead of memory. */
export const SPILL_BYTES = 8 * 1024 * 1024;

/**
 * Collects one message's lines. The last "\n" seen is held back, because the writer's separator "\n" after the
 * message must not be part of it; whatever follows it proves it was the message's own.
 */
class MessageSink {
  private parts: Buffer[] = [];
  private size = 0;
  private heldNl = false;
  private fd: number | null = null;
  private file = '';
  private hash: Hash | null = null;

  constructor(private readonly spillDir: string) {}

  private emit(b: Buffer): void {
    if (!b.length) return;
    this.size += b.length;
    if (this.fd !== null) {
      writeSync(this.fd, b);
      this.hash!.update(b);
      return;
    }
    this.parts.push(b);
    if (this.size > SPILL_BYTES) {
      // named `<pid>-…` like the archive's temp files: only a dead process's leftovers are ever cleaned up
      this.file = path.join(this.spillDir, `${process.pid}-mbox-${randomBytes(6).toString('hex')}.eml`);
      this.fd = openSync(this.file, 'w');
      this.hash = createHash('sha256');
      for (const p of this.parts) {
        writeSync(this.fd, p);
        this.hash.update(p);
      }
      this.parts = [];
    }
  }

  push(line: Buffer): void {
    if (this.heldNl) this.emit(Buffer.from('\n'));
    this.heldNl = line.length > 0 && line[line.length - 1] === NL;
    this.emit(this.heldNl ? line.subarray(0, line.length - 1) : line);
  }

  /** The message without the held-back separator. */
  finish(): MboxMessage['raw'] {
    if (this.fd === null) return Buffer.concat(this.parts);
    closeSync(this.fd);
    return { file: this.file, size: this.size, sha256: this.hash!.digest('hex') };
  }
}

function parseFromDate(line: string): number {
  const m = /(\w{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})/.exec(line);
  if (!m) return NaN;
  const mo = MONTHS.indexOf(m[1]);
  if (mo < 0) return NaN;
  return Date.UTC(Number(m[6]), mo, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
}

/**
 * Read an mbox file message by message, streaming the file: one ordinary message in memory at a time, and large
 * ones (over SPILL_BYTES) written to a temp file in `spillDir` as they are read.
 */
export async function* readMbox(file: string, spillDir = os.tmpdir()): AsyncGenerator<MboxMessage> {
  let carry: Buffer = Buffer.alloc(0);
  let current: MessageSink | null = null;
  let currentDate = NaN;
  const finish = (): MboxMessage | null => (current ? { raw: current.finish(), fromDate: currentDate } : null);
  const onLine = function* (line: Buffer): Generator<MboxMessage> {
    if (line.length >= 5 && line.compare(FROM, 0, 5, 0, 5) === 0) {
      const done = finish();
      if (done) yield done;
      current = new MessageSink(spillDir);
      currentDate = parseFromDate(line.toString('latin1'));
      return;
    }
    current?.push(unquoteLine(line));
  };
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    const buf: Buffer = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(NL, start);
      if (nl < 0) break;
      yield* onLine(Buffer.from(buf.subarray(start, nl + 1)));
      start = nl + 1;
    }
    carry = Buffer.from(buf.subarray(start));
  }
  if (carry.length) yield* onLine(carry);
  const last = finish();
  if (last) yield last;
}

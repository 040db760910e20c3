/**
 * mboxrd, the mbox variant that loses nothing: every body line that starts with ">*From " gets one more '>'
 * on the way out and loses one on the way in, so "From " lines inside messages survive a round trip.
 * Each message is written as: From_ line, the raw bytes as they are (CRLF kept), then one "\n"; a reader strips
 * exactly that "\n" back, so export → import gives the same bytes.
 */
import { createReadStream } from 'node:fs';

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
  raw: Buffer;
  /** date from the From_ line, ms (NaN when unreadable) */
  fromDate: number;
}

function parseFromDate(line: string): number {
  const m = /(\w{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})/.exec(line);
  if (!m) return NaN;
  const mo = MONTHS.indexOf(m[1]);
  if (mo < 0) return NaN;
  return Date.UTC(Number(m[6]), mo, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
}

/** Read an mbox file message by message, streaming the file (one message in memory at a time). */
export async function* readMbox(file: string): AsyncGenerator<MboxMessage> {
  let carry: Buffer = Buffer.alloc(0);
  let current: Buffer[] | null = null;
  let currentDate = NaN;
  const finish = (): MboxMessage | null => {
    if (!current) return null;
    let raw = Buffer.concat(current);
    // strip the one "\n" the writer added after the message
    if (raw.length && raw[raw.length - 1] === NL) raw = raw.subarray(0, raw.length - 1);
    return { raw, fromDate: currentDate };
  };
  const onLine = function* (line: Buffer): Generator<MboxMessage> {
    if (line.length >= 5 && line.compare(FROM, 0, 5, 0, 5) === 0) {
      const done = finish();
      if (done) yield done;
      current = [];
      currentDate = parseFromDate(line.toString('latin1'));
      return;
    }
    if (current) current.push(unquoteLine(line));
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

/**
 * Recognising a message that a server rewrote on arrival (issue 9): mbox servers such as GNU imap4d add their own
 * bookkeeping headers (X-UID, Status, X-Status, X-Keywords, X-IMAPbase) to every stored message, so its normHash
 * never matches the archived one again, and a destination without UIDPLUS (no APPENDUID to record) would get every
 * message a second time on the next run. This hash leaves those header fields out; used only together with the
 * Message-ID, so that two different messages are never taken for one.
 */
import { normHash } from '../archive/norm-hash.node.ts';

const BOOKKEEPING = /^(x-uid|status|x-status|x-keywords|x-imapbase|x-imap)[ \t]*:/i;

/** The header block as text, with the length of its end (blank line), or null when there is no body separator. */
function headerBlock(raw: Buffer): { head: string; end: number } | null {
  let end = raw.indexOf('\r\n\r\n');
  let eolLen = 2;
  const lfEnd = raw.indexOf('\n\n');
  if (end < 0 || (lfEnd >= 0 && lfEnd < end)) {
    end = lfEnd;
    eolLen = 1;
  }
  if (end < 0) return null;
  return { head: raw.subarray(0, end + eolLen).toString('latin1'), end: end + eolLen };
}

const ANY_BOOKKEEPING = /(^|\n)(x-uid|status|x-status|x-keywords|x-imapbase|x-imap)[ \t]*:/i;

/** Whether a server added bookkeeping fields to the header (cheap: no hashing). */
export function hasBookkeeping(raw: Buffer): boolean {
  const block = headerBlock(raw);
  return !!block && ANY_BOOKKEEPING.test(block.head);
}

/** normHash of the message without the servers' bookkeeping header fields (= normHash when it has none). */
export function neutralHash(raw: Buffer): string {
  const block = headerBlock(raw);
  if (!block) return normHash(raw);
  const lines = block.head.split(/(?<=\n)/);
  const kept: string[] = [];
  let dropping = false;
  let dropped = false;
  for (const line of lines) {
    if (/^[ \t]/.test(line) && line.trim()) {
      if (!dropping) kept.push(line);
      continue;
    }
    dropping = BOOKKEEPING.test(line);
    if (dropping) dropped = true;
    else kept.push(line);
  }
  if (!dropped) return normHash(raw);
  return normHash(Buffer.concat([Buffer.from(kept.join(''), 'latin1'), raw.subarray(block.end)]));
}

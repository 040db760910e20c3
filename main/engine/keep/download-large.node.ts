/**
 * A big message, fetched in ranges (`BODY.PEEK[]<offset.length>`) into a temporary file. Why: on a connection that
 * drops every few megabytes, a 33 MB message fetched in one piece never arrives. Each range that arrives is written
 * at once, so after a reconnection the fetch resumes at the offset reached (the file is kept in `partials` across
 * attempts of the same run). Memory stays flat: one range at a time.
 * Whole means exactly the RFC822.SIZE announced: a range that comes back short before the end, or a byte past the
 * end, and the message is not taken (the caller refetches it, then reports it).
 */
import { appendFileSync, existsSync, statSync } from 'node:fs';
import type { ImapFlow } from 'imapflow';

/** Bytes asked for in one range. Small enough to get through a connection that drops every 2 MB. */
export const RANGE_BYTES = 1024 * 1024;

export type LargeResult = 'whole' | 'no-body' | 'size-mismatch';

export interface LargeOptions {
  /** Told of every range written (bytes): progress that keeps a reconnecting run from giving up. */
  onBytes?: (n: number) => void;
  rangeBytes?: number;
}

export async function downloadLarge(c: ImapFlow, uid: number, size: number, file: string, opts: LargeOptions = {}): Promise<LargeResult> {
  const range = opts.rangeBytes ?? RANGE_BYTES;
  // Resumed: what an earlier attempt wrote stays.
  let offset = existsSync(file) ? statSync(file).size : 0;
  if (offset > size) return 'size-mismatch';
  while (offset < size) {
    const want = Math.min(range, size - offset);
    const m = await c.fetchOne(String(uid), { uid: true, source: { start: offset, maxLength: want } }, { uid: true });
    const got = m ? m.source : undefined;
    if (!got) return offset === 0 ? 'no-body' : 'size-mismatch';
    // A server must give exactly the range asked for while inside the message: anything else is not this message.
    if (got.length !== want) return 'size-mismatch';
    appendFileSync(file, got);
    offset += got.length;
    opts.onBytes?.(got.length);
  }
  // Nothing past the announced end: a body longer than its RFC822.SIZE is not the message that was described.
  const past = await c.fetchOne(String(uid), { uid: true, source: { start: size, maxLength: 1 } }, { uid: true });
  if (past && past.source && past.source.length > 0) return 'size-mismatch';
  return 'whole';
}

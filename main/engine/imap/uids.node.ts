/**
 * The UIDs of the selected folder, asked in a way that does not trust one form of the question blindly.
 *
 * Why: GNU imap4d answers `UID SEARCH UID 1:*` with an empty list while `UID SEARCH ALL` works and EXISTS says 80.
 * A backup that believed the empty answer moved its cursor past 80 messages and never stored them. EXISTS (from
 * SELECT/EXAMINE) is the server's own count: when a list comes back shorter than it, the other forms are tried
 * (`UID SEARCH ALL`, then `FETCH 1:* (UID)`, which answers once per message by sequence number), and a caller is
 * told when none accounts for every message, so that it never moves a cursor past messages the server says it has.
 * No command is sent while a FETCH is being read (each form is collected completely before the next is sent).
 */
import type { ImapFlow } from 'imapflow';

export interface UidList {
  /** Sorted, distinct. */
  uids: number[];
  /** Every message EXISTS counts is accounted for. */
  complete: boolean;
}

function sorted(uids: Iterable<number>): number[] {
  return [...new Set(uids)].sort((a, b) => a - b);
}

async function searchAll(c: ImapFlow): Promise<number[]> {
  return sorted((await c.search({ all: true }, { uid: true })) || []);
}

async function fetchAll(c: ImapFlow): Promise<number[]> {
  const out: number[] = [];
  for await (const m of c.fetch('1:*', { uid: true })) out.push(m.uid);
  return sorted(out);
}

/** Every UID of the selected folder, `exists` being its EXISTS count. */
export async function allUids(c: ImapFlow, exists: number): Promise<UidList> {
  if (exists <= 0) return { uids: [], complete: true };
  let best: number[] = [];
  for (const form of [searchAll, fetchAll]) {
    const uids = await form(c);
    if (uids.length > best.length) best = uids;
    if (best.length >= exists) return { uids: best, complete: true };
  }
  return { uids: best, complete: false };
}

/**
 * UIDs from `from` up to (not including) `uidNext` when known. `below` is how many messages under `from` the caller
 * knows are still on the server: with them, the list must account for EXISTS, else the other forms are tried.
 */
export async function uidsFrom(c: ImapFlow, from: number, uidNext: number | undefined, exists: number, below: number): Promise<UidList> {
  if (exists <= 0) return { uids: [], complete: true };
  const inRange = (uids: number[]): number[] => uids.filter((u) => u >= from && (!uidNext || u < uidNext));
  // "n:*" also matches the last message when n is past it: keep only what is really in range.
  const found = inRange(sorted((await c.search({ uid: `${from}:*` }, { uid: true })) || []));
  if (below + found.length >= exists) return { uids: found, complete: true };
  const all = await allUids(c, exists);
  const again = inRange(all.uids);
  const uids = again.length > found.length ? again : found;
  // Complete when the full list accounts for EXISTS, or when what is below `from` plus what is above does.
  return { uids, complete: all.complete || below + uids.length >= exists };
}

/**
 * The heart of verification, pure: what the archive says a folder should hold, against what the destination
 * returned (one content hash per message), with every difference explained.
 *
 * Matching is BY CONTENT (line-ending-normalised SHA-256): counts alone would call a folder complete when one
 * message is missing and another is there twice. A destination message whose content matches nothing expected
 * but whose Message-ID (or, failing that, INTERNALDATE) matches a missing one is that message, CHANGED, unless
 * it is the same message with only the server's own bookkeeping header lines added (sameRewrittenMessage): then
 * it is PRESENT, and counted as rewritten (said once: the server adds its own header lines).
 */
export interface ExpectedMessage {
  /** Archive content id (to read its headers for the explanation). */
  contentId: number;
  normHash: string;
  messageId: string | null;
  internalDate: number;
  /** Hash without the servers' bookkeeping header fields (neutral-hash.node.ts); filled when a found message has one. */
  neutralHash?: string;
}

export interface FoundMessage {
  uid: number;
  normHash: string;
  messageId: string | null;
  internalDate: number | null;
  /** Hash without the bookkeeping header fields the server added (neutral-hash.node.ts), when it added some. */
  neutralHash?: string;
}

export interface FolderComparison {
  expected: number;
  present: number;
  missing: ExpectedMessage[];
  changed: { expected: ExpectedMessage; found: FoundMessage }[];
  /** Source messages identical to another of the folder (every one of the group), held once at the destination. */
  duplicatesCopiedOnce: number;
  /** Destination messages that match nothing expected (mail the user already had there, for instance). */
  extra: number;
  /** Of `present`: messages the server stored with its own bookkeeping header lines added (X-UID, Status...). */
  rewritten: number;
}

/**
 * The one rule, used by the copy (what is already there) and by verification: a destination message is an
 * expected one that the server rewrote on arrival when both have the same content once the servers' bookkeeping
 * header fields are left out, and the same Message-ID (or, for a message that has none, none either and the same
 * INTERNALDATE): two different messages are never taken for one. A message changed in any other way does not match.
 */
export function sameRewrittenMessage(expected: { messageId: string | null; neutralHash?: string; internalDate: number | null }, found: FoundMessage): boolean {
  if (!found.neutralHash || !expected.neutralHash || found.neutralHash !== expected.neutralHash) return false;
  if (expected.messageId) return found.messageId === expected.messageId;
  return found.messageId === null && expected.internalDate !== null && found.internalDate === expected.internalDate;
}

export function compareFolder(expected: ExpectedMessage[], found: FoundMessage[]): FolderComparison {
  const foundByHash = new Map<string, number>();
  for (const m of found) foundByHash.set(m.normHash, (foundByHash.get(m.normHash) ?? 0) + 1);

  const expectedHashes = new Set<string>();
  const seen = new Map<string, number>();
  let present = 0;
  let duplicatesCopiedOnce = 0;
  const missingCandidates: ExpectedMessage[] = [];
  for (const e of expected) {
    expectedHashes.add(e.normHash);
    const n = (seen.get(e.normHash) ?? 0) + 1;
    seen.set(e.normHash, n);
    const available = foundByHash.get(e.normHash) ?? 0;
    if (available >= n) present++;
    else if (available >= 1) {
      // Same content twice on the source, once at the destination: Arche copies identical messages once.
      present++;
    } else missingCandidates.push(e);
  }
  // "2 messages identical on the source: copied once" counts every message of such a group.
  for (const [hash, n] of seen) {
    const available = foundByHash.get(hash) ?? 0;
    if (n > 1 && available >= 1 && available < n) duplicatesCopiedOnce += n;
  }

  // Destination messages whose content matches nothing expected: candidates for "changed".
  const unmatched = found.filter((m) => !expectedHashes.has(m.normHash));
  const byMessageId = new Map<string, FoundMessage[]>();
  const byDate = new Map<number, FoundMessage[]>();
  for (const m of unmatched) {
    if (m.messageId) byMessageId.set(m.messageId, [...(byMessageId.get(m.messageId) ?? []), m]);
    if (m.internalDate !== null) byDate.set(m.internalDate, [...(byDate.get(m.internalDate) ?? []), m]);
  }
  const used = new Set<number>();
  const take = (list: FoundMessage[] | undefined): FoundMessage | undefined => {
    const m = list?.find((x) => !used.has(x.uid));
    if (m) used.add(m.uid);
    return m;
  };
  const missing: ExpectedMessage[] = [];
  const changed: FolderComparison['changed'] = [];
  let rewritten = 0;
  // First the copies the server only added its header lines to: those are there, not changed.
  const stillMissing: ExpectedMessage[] = [];
  for (const e of missingCandidates) {
    const same = (e.messageId ? byMessageId.get(e.messageId) : byDate.get(e.internalDate))?.find((x) => !used.has(x.uid) && sameRewrittenMessage(e, x));
    if (same) {
      used.add(same.uid);
      present++;
      rewritten++;
    } else stillMissing.push(e);
  }
  for (const e of stillMissing) {
    const match = (e.messageId ? take(byMessageId.get(e.messageId)) : undefined) ?? take(byDate.get(e.internalDate));
    if (match) changed.push({ expected: e, found: match });
    else missing.push(e);
  }
  return { expected: expected.length, present, missing, changed, duplicatesCopiedOnce, extra: unmatched.length - used.size, rewritten };
}

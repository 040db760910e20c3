/**
 * The heart of verification, pure: what the archive says a folder should hold, against what the destination
 * returned (one content hash per message), with every difference explained.
 *
 * Matching is BY CONTENT (line-ending-normalised SHA-256): counts alone would call a folder complete when one
 * message is missing and another is there twice. A destination message whose content matches nothing expected
 * but whose Message-ID (or, failing that, INTERNALDATE) matches a missing one is that message, CHANGED.
 */
export interface ExpectedMessage {
  /** Archive content id (to read its headers for the explanation). */
  contentId: number;
  normHash: string;
  messageId: string | null;
  internalDate: number;
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
  for (const e of missingCandidates) {
    const match = (e.messageId ? take(byMessageId.get(e.messageId)) : undefined) ?? take(byDate.get(e.internalDate));
    if (match) changed.push({ expected: e, found: match });
    else missing.push(e);
  }
  return { expected: expected.length, present, missing, changed, duplicatesCopiedOnce, extra: unmatched.length - used.size };
}

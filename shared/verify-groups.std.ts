/**
 * The differences between the new mailbox and the old one, grouped by reason over all folders: the groups the
 * Verify screen and the saved report both show (one rule, so that they always agree).
 */
import type { VerifyFolderLine } from './api.std.ts';

export type VerifyGroup = 'moved-at-source' | 'deleted-at-source' | 'brought-along' | 'refused' | 'alreadyThere';

const MOVE_REASONS = new Set<string>(['moved-at-source', 'deleted-at-source', 'brought-along']);

export function notCopiedGroups(folders: Pick<VerifyFolderLine, 'notCopied' | 'alreadyThere'>[]): Partial<Record<VerifyGroup, number>> {
  const out: Partial<Record<VerifyGroup, number>> = {};
  for (const f of folders) {
    for (const g of f.notCopied ?? []) {
      // Anything else is a refusal by the new provider, with its own code (too big, quota, refused name...).
      const key = (MOVE_REASONS.has(g.reason) ? g.reason : 'refused') as VerifyGroup;
      out[key] = (out[key] ?? 0) + g.count;
    }
    if (f.alreadyThere) out.alreadyThere = (out.alreadyThere ?? 0) + f.alreadyThere;
  }
  return out;
}

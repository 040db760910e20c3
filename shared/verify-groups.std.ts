/**
 * The differences between the new mailbox and the old one, grouped by reason over all folders: the groups the
 * Verify screen and the saved report both show (one rule, so that they always agree).
 */
import type { VerifyFolderLine } from './api.std.ts';
import type { ErrorCode } from './errors.std.ts';

export type VerifyGroup = 'moved-at-source' | 'deleted-at-source' | 'brought-along' | 'refused' | 'alreadyThere';

/** The reasons a message of the old mailbox was not copied by the move itself, each with its words in the report. */
export const SOURCE_REASON_NOTES = {
  'moved-at-source': 'verify-moved-at-source',
  'deleted-at-source': 'verify-deleted-at-source',
  'brought-along': 'verify-brought-along',
} as const satisfies Record<string, ErrorCode>;

const MOVE_REASONS = new Set<string>(Object.keys(SOURCE_REASON_NOTES));

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

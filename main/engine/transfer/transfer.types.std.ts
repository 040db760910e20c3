/** Shapes the copy engine shares with its callers (restore, migrate) and with the move's saved state. */
import type { ArcheErrorData } from '../../../shared/errors.std.ts';

/** A message the copy could not put into its destination folder, with why (shown in the report, never dropped). */
export interface CopyFailure {
  sourceFolder: string;
  destination: string;
  contentId: number;
  normHash: string;
  reason: ArcheErrorData;
}

/** Where a message went, as the server said it (UIDPLUS APPENDUID) or as found there by content. */
export interface PlacedCopy {
  contentId: number;
  destination: string;
  uid: number;
  uidValidity: number;
}

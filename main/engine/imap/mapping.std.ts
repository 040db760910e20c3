/**
 * Folder mapping between two servers: roles (special-use flags first, then well-known French/English names),
 * hierarchy separators and prefixes, and stated substitutes for names the destination cannot hold.
 * Pure: no I/O. Used by restore (keep) and by the migration plan (move).
 *
 * CONTRACT (implemented by the Move work; signatures are fixed so that restore can rely on them):
 */
import type { FolderRole } from '../../../shared/types.std.ts';
import type { FolderInfo } from '../archive/archive.types.std.ts';
import type { ArcheErrorData } from '../../../shared/errors.std.ts';

export interface ServerNamespace {
  /** Hierarchy separator, e.g. '/' or '.' */
  delimiter: string;
  /** Personal namespace prefix, e.g. '' or 'INBOX.' */
  prefix: string;
}

export interface FolderMapping {
  /** Source path as on the source server */
  source: string;
  /** Destination path as on the destination server (full path, prefix included) */
  destination: string;
  role: FolderRole | null;
  /** Why this destination: matched by special-use flag, by well-known name, same name converted, or a substitute */
  reason: 'special-use' | 'name' | 'converted' | 'substituted';
  /** Whether the destination folder already exists */
  exists: boolean;
  /** Plain-language explanation of any change (code + fields; words live in shared/errors/move.std.ts) */
  note?: ArcheErrorData;
}

export declare function detectRole(folder: FolderInfo): FolderRole | null;

export declare function mapFolders(
  source: FolderInfo[],
  sourceNs: ServerNamespace,
  destination: FolderInfo[],
  destinationNs: ServerNamespace,
): FolderMapping[];

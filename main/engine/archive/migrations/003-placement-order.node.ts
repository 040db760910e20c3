/**
 * Migration 3: an index in the order placements are listed (folder, then UID), so that walking a 100,000-message
 * folder page by page reads the index instead of sorting the folder again for every page.
 */
import type { Migration } from './migration.std.ts';

export const migration003: Migration = {
  version: 3,
  name: 'placement-order',
  sql: `CREATE INDEX placements_folder_uid ON placements (folder_id, uid, uidvalidity);`,
};

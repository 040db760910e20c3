/**
 * Migration 5: small partial indexes of the unread and the flagged placements, so that is:unread / is:flagged
 * (and their counts) read a few thousand index entries instead of every placement's flags.
 * The conditions must stay word for word those of search.node.ts: SQLite uses a partial index only for a query
 * that states its condition.
 */
import type { Migration } from './migration.std.ts';

export const UNREAD_CONDITION = "flags NOT LIKE '% \\Seen %'";
export const FLAGGED_CONDITION = "flags LIKE '% \\Flagged %'";

export const migration005: Migration = {
  version: 5,
  name: 'flag-indexes',
  sql: `
CREATE INDEX placements_unread ON placements (content_id) WHERE ${UNREAD_CONDITION};
CREATE INDEX placements_flagged ON placements (content_id) WHERE ${FLAGGED_CONDITION};
`,
};

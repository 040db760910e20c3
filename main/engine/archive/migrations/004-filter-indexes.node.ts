/**
 * Migration 4: indexes for search filters that used to scan every message at 100,000 messages:
 * has:attachment (a partial index in date order) and larger:/smaller: (size).
 */
import type { Migration } from './migration.std.ts';

export const migration004: Migration = {
  version: 4,
  name: 'filter-indexes',
  sql: `
CREATE INDEX meta_attachment_date ON meta (date) WHERE has_attachment = 1;
CREATE INDEX contents_size ON contents (size);
`,
};

/**
 * Migration 10: the order a mailbox is read in (issue 14, browse). A folder's list is newest first by the message's
 * date, and paged by key (never OFFSET); SQLite cannot index across two tables, so each placement carries its
 * message's date (`sort_date`: the Date header as indexed in meta, else the server's arrival date until meta is
 * written) and one index walks a folder newest first: 100,000 messages page by page without ever sorting.
 * A second index answers "how many distinct messages in this folder" (a renumbered folder keeps its old placements)
 * without sorting. Triggers keep the copy true whichever is written first, the placement (backup) or the meta row (indexing).
 */
import type { Migration } from './migration.std.ts';

export const migration010: Migration = {
  version: 10,
  name: 'browse-order',
  sql: `
ALTER TABLE placements ADD COLUMN sort_date INTEGER;
UPDATE placements SET sort_date = coalesce((SELECT m.date FROM meta m WHERE m.content_id = placements.content_id), internal_date);
CREATE INDEX placements_browse ON placements (folder_id, sort_date, id);
-- a folder's messages each once: counted in index order, and "a newer copy in this folder?" is one probe
CREATE INDEX placements_folder_content ON placements (folder_id, content_id);
CREATE TRIGGER placements_sort_date AFTER INSERT ON placements WHEN NEW.sort_date IS NULL BEGIN
  UPDATE placements SET sort_date = coalesce((SELECT m.date FROM meta m WHERE m.content_id = NEW.content_id), NEW.internal_date) WHERE id = NEW.id;
END;
CREATE TRIGGER meta_sort_date AFTER INSERT ON meta BEGIN
  UPDATE placements SET sort_date = coalesce(NEW.date, internal_date) WHERE content_id = NEW.content_id;
END;
CREATE TRIGGER meta_sort_date_update AFTER UPDATE OF date ON meta BEGIN
  UPDATE placements SET sort_date = coalesce(NEW.date, internal_date) WHERE content_id = NEW.content_id;
END;
`,
};

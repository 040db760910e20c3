#!/usr/bin/env node
/**
 * What `arche attachments` is about to read in an archive: the messages in its queue, their attachments whose text
 * Arche reads (the engine's own attachmentKind) and their declared bytes. Gives the extraction step its
 * attachments/s and MB/s (the CLI's summary counts messages only). Loaded through tsx: the engine as it is now.
 *
 *   node bench/lib/attachment-queue.mjs ARCHIVE_DIR   → one JSON object on stdout
 */
import { register } from 'tsx/esm/api';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

register();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { attachmentKind } = await import(path.join(root, 'main/engine/archive/attachment-kind.std.ts'));
const db = new Database(path.join(process.argv[2], 'arche.sqlite'), { readonly: true });
try {
  const rows = db.prepare('SELECT m.attachments FROM attachment_queue q JOIN meta m ON m.content_id = q.content_id').pluck().all();
  const out = { messages: rows.length, attachments: 0, bytes: 0, kinds: {} };
  for (const json of rows) {
    for (const a of JSON.parse(json)) {
      const kind = attachmentKind(a.filename ?? '', a.contentType ?? '');
      if (!kind) continue;
      out.attachments++;
      out.bytes += a.size ?? 0;
      out.kinds[kind] = (out.kinds[kind] ?? 0) + 1;
    }
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
} finally {
  db.close();
}

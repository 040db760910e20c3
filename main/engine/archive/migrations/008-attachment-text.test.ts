import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../db.node.ts';
import { MIGRATIONS } from './index.node.ts';
import { migration008 } from './008-attachment-text.node.ts';

describe('migration 008 (attachment text)', () => {
  it('queues every stored message with an attachment Arche reads, by extension or by type, and nothing else', () => {
    const db = new Database(':memory:');
    const before = MIGRATIONS.filter((m) => m.version < 8);
    migrate(db, before);
    const content = db.prepare('INSERT INTO contents (sha256, norm_hash, size, storage, added_at) VALUES (?, ?, 1, 0, 1)');
    const meta = db.prepare(
      `INSERT INTO meta (content_id, message_id, date, from_text, to_text, cc_text, subject, attachments, has_attachment, preview)
       VALUES (?, NULL, 0, 'a@example.fr', 'b@example.fr', '', 's', ?, ?, '')`,
    );
    const rows: [string, { filename: string; contentType: string }[]][] = [
      ['a PDF by its name', [{ filename: 'Procès-verbal AG 2010.PDF', contentType: 'application/octet-stream' }]],
      ['a photo only', [{ filename: 'photo.jpg', contentType: 'image/jpeg' }]],
      ['a spreadsheet by its type only', [{ filename: 'sans-nom', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; name=x' }]],
      ['no attachment', []],
      ['a photo and an OpenDocument text', [{ filename: 'a.png', contentType: 'image/png' }, { filename: 'compte.rendu.odt', contentType: 'application/octet-stream' }]],
      ['a zip', [{ filename: 'archive.zip', contentType: 'application/zip' }]],
    ];
    rows.forEach(([, atts], i) => {
      content.run(Buffer.alloc(32, i + 1), Buffer.alloc(32, i + 1));
      meta.run(i + 1, JSON.stringify(atts.map((a) => ({ ...a, size: 10 }))), atts.length ? 1 : 0);
    });
    migrate(db, [...before, migration008]);
    expect(db.pragma('user_version', { simple: true })).toBe(8);
    expect(db.prepare('SELECT content_id FROM attachment_queue ORDER BY content_id').pluck().all()).toEqual([1, 3, 5]);
    // the tables that say which attachment holds a word, and what could not be read, start empty
    for (const t of ['attachment_texts', 'att_fts', 'attachment_unreadable']) expect(db.prepare(`SELECT count(*) FROM ${t}`).pluck().get(), t).toBe(0);
    const cols = (db.prepare("SELECT name FROM pragma_table_info('att_fts')").pluck().all() as string[]).join(',');
    expect(cols).toBe('text,stems');
  });
});

import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../db.node.ts';
import { MIGRATIONS } from './index.node.ts';
import { migration007 } from './007-visible-text.node.ts';

describe('migration 007 (visible text)', () => {
  it('rebuilds the index with stems and attachment_text columns, filled at once from meta, and queues every message', () => {
    const db = new Database(':memory:');
    const before = MIGRATIONS.filter((m) => m.version < 7);
    migrate(db, before);
    const content = db.prepare('INSERT INTO contents (sha256, norm_hash, size, storage, added_at) VALUES (?, ?, 1, 0, 1)');
    const meta = db.prepare(
      `INSERT INTO meta (content_id, message_id, date, from_text, to_text, cc_text, subject, attachments, has_attachment, preview)
       VALUES (?, NULL, 0, ?, ?, '', ?, ?, ?, ?)`,
    );
    const oldFts = db.prepare('INSERT INTO fts (rowid, subject, sender, recipients, cc, body, filenames) VALUES (?, ?, ?, ?, ?, ?, ?)');
    content.run(Buffer.alloc(32, 1), Buffer.alloc(32, 1));
    meta.run(1, 'Hélène <helene@example.fr>', 'marie@example.fr', 'Chef-d’œuvre', JSON.stringify([{ filename: 'Procès-verbal.pdf', contentType: 'application/pdf', size: 3 }]), 1, 'La régate de l’été');
    oldFts.run(1, 'Chef-d’oeuvre', 'Hélène <helene@example.fr>', 'marie@example.fr', '', 'La régate de l’été', 'Procès-verbal.pdf');
    content.run(Buffer.alloc(32, 2), Buffer.alloc(32, 2));
    meta.run(2, 'bob@example.org', 'x@example.org', 'Invoice', '[]', 0, 'Meeting notes');
    oldFts.run(2, 'Invoice', 'bob@example.org', 'x@example.org', '', 'Meeting notes', '');

    migrate(db, [...before, migration007]);
    expect(db.pragma('user_version', { simple: true })).toBe(7);
    const cols = (db.prepare("SELECT name FROM pragma_table_info('fts')").pluck().all() as string[]).join(',');
    expect(cols).toBe('subject,sender,recipients,cc,body,filenames,stems,attachment_text');
    const find = (q: string): number[] => db.prepare('SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rowid').pluck().all(q) as number[];
    // search keeps working right away, from what the database held (ligatures spelled out as before)
    expect(find('regate')).toEqual([1]);
    expect(find('subject : oeuvre')).toEqual([1]);
    expect(find('sender : helene')).toEqual([1]);
    expect(find('filenames : verbal')).toEqual([1]);
    expect(find('meeting')).toEqual([2]);
    expect(find('stems : meet')).toEqual([]); // stems come with the re-index
    // every message waits to be indexed again from its bytes
    expect(db.prepare('SELECT content_id FROM reindex ORDER BY content_id').pluck().all()).toEqual([1, 2]);
    // contentless with delete: the re-index replaces a row
    db.prepare('DELETE FROM fts WHERE rowid = 2').run();
    db.prepare("INSERT INTO fts (rowid, body, stems) VALUES (2, 'Meeting notes', 'meet note')").run();
    expect(find('stems : meet')).toEqual([2]);
  });
});

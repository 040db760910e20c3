import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../db.node.ts';
import { MIGRATIONS } from './index.node.ts';
import { migration010 } from './010-browse-order.node.ts';

describe('migration 010 (browse order)', () => {
  it('gives each placement its message date (else its arrival date), kept true by triggers, and lists a folder along its index', () => {
    const db = new Database(':memory:');
    const before = MIGRATIONS.filter((m) => m.version < 10);
    migrate(db, before);
    db.prepare("INSERT INTO accounts (url, created_at) VALUES ('imaps://a@h:993', 1)").run();
    db.prepare("INSERT INTO folders (account_id, path) VALUES (1, 'INBOX')").run();
    const content = db.prepare('INSERT INTO contents (sha256, norm_hash, size, storage, added_at) VALUES (?, ?, 1, 0, 1)');
    const place = db.prepare("INSERT INTO placements (content_id, folder_id, uidvalidity, uid, flags, internal_date, added_at) VALUES (?, 1, 1, ?, ' ', ?, 0)");
    const meta = db.prepare(
      `INSERT INTO meta (content_id, message_id, date, from_text, to_text, cc_text, subject, attachments, has_attachment, preview)
       VALUES (?, NULL, ?, '', '', '', 's', '[]', 0, '')`,
    );
    for (let i = 1; i <= 2; i++) content.run(Buffer.alloc(32, i), Buffer.alloc(32, i));
    place.run(1, 1, 1000);
    meta.run(1, 5000); // indexed: its Date header
    place.run(2, 2, 2000); // not indexed yet: its arrival date
    migrate(db, [...before, migration010]);
    expect(db.pragma('user_version', { simple: true })).toBe(10);
    const dates = () => db.prepare('SELECT content_id, sort_date FROM placements ORDER BY content_id').raw().all();
    expect(dates()).toEqual([[1, 5000], [2, 2000]]);
    // a later index row, a date corrected, a new placement: each keeps sort_date true
    meta.run(2, 7000);
    content.run(Buffer.alloc(32, 3), Buffer.alloc(32, 3));
    meta.run(3, 9000);
    place.run(3, 3, 3000);
    db.prepare('UPDATE meta SET date = 4000 WHERE content_id = 1').run();
    expect(dates()).toEqual([[1, 4000], [2, 7000], [3, 9000]]);
    const plan = (db.prepare('EXPLAIN QUERY PLAN SELECT id FROM placements WHERE folder_id = 1 ORDER BY sort_date DESC, id DESC LIMIT 50').all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan).toContain('placements_browse');
    expect(plan).not.toContain('TEMP B-TREE');
  });
});

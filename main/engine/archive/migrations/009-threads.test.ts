import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../db.node.ts';
import { MIGRATIONS } from './index.node.ts';
import { migration009 } from './009-threads.node.ts';

describe('migration 009 (conversations)', () => {
  it('upgrades a version-8 database: empty conversation tables, every stored content queued for the header backfill', () => {
    const db = new Database(':memory:');
    const before = MIGRATIONS.filter((m) => m.version < 9);
    migrate(db, before);
    const content = db.prepare('INSERT INTO contents (sha256, norm_hash, size, storage, added_at) VALUES (?, ?, 1, 0, 1)');
    for (let i = 1; i <= 3; i++) content.run(Buffer.alloc(32, i), Buffer.alloc(32, i));
    migrate(db, [...before, migration009]);
    expect(db.pragma('user_version', { simple: true })).toBe(9);
    expect(db.prepare('SELECT content_id FROM thread_backfill ORDER BY content_id').pluck().all()).toEqual([1, 2, 3]);
    expect(db.prepare('SELECT count(*) FROM threads').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM thread_ids').pluck().get()).toBe(0);
    // one row per content, and one conversation per Message-ID named
    db.prepare("INSERT INTO threads (content_id, conv, msgid) VALUES (1, 1, 'a@x')").run();
    expect(() => db.prepare("INSERT INTO threads (content_id, conv, msgid) VALUES (1, 2, 'b@x')").run()).toThrow(/UNIQUE|PRIMARY/);
    db.prepare("INSERT INTO thread_ids (msgid, conv) VALUES ('a@x', 1)").run();
    expect(() => db.prepare("INSERT INTO thread_ids (msgid, conv) VALUES ('a@x', 2)").run()).toThrow(/UNIQUE|PRIMARY/);
  });
});

import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../db.node.ts';
import { MIGRATIONS } from './index.node.ts';
import { migration006 } from './006-unreadable-and-blob-size.node.ts';

describe('migration 006 (unreadable messages, stored size)', () => {
  it('upgrades a version-5 database: a table naming each message the server would not give, and contents keep their stored size', () => {
    const db = new Database(':memory:');
    const before = MIGRATIONS.filter((m) => m.version < 6);
    migrate(db, before);
    db.prepare("INSERT INTO accounts (url, created_at) VALUES ('imaps://a@h:993', 1)").run();
    db.prepare("INSERT INTO folders (account_id, path) VALUES (1, 'Travail')").run();
    db.prepare('INSERT INTO contents (sha256, norm_hash, size, storage, added_at) VALUES (?, ?, 10, 0, 1)').run(Buffer.alloc(32), Buffer.alloc(32));
    migrate(db, [...before, migration006]);
    expect(db.pragma('user_version', { simple: true })).toBe(6);
    expect(db.prepare('SELECT size, stored_size FROM contents').raw().get()).toEqual([10, null]); // data kept, size unknown until checked
    const add = db.prepare("INSERT INTO unreadable (folder_id, uidvalidity, uid, tries, reason, subject, date, size, first_at, last_at) VALUES (1, 7, 42, 1, 'no-body', 'Sujet', 0, 100, 1, 1)");
    add.run();
    expect(() => add.run()).toThrow(/UNIQUE|PRIMARY/); // one row per folder, UIDVALIDITY and UID
  });
});

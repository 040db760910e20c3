import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../db.node.ts';
import { migration001 } from './001-core.node.ts';

describe('migration 001 (core)', () => {
  it('creates accounts, folders, contents, placements and alarms, and records version 1', () => {
    const db = new Database(':memory:');
    migrate(db, [migration001]);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[]);
    expect(tables).toEqual(['accounts', 'alarms', 'contents', 'contents_raw', 'folders', 'placements']);
    db.prepare('INSERT INTO accounts (url, created_at) VALUES (?, 1)').run('imaps://a@h:993');
    db.prepare('INSERT INTO folders (account_id, path) VALUES (1, ?)').run('INBOX');
    db.prepare('INSERT INTO contents (sha256, norm_hash, size, storage, added_at) VALUES (?, ?, 1, 0, 1)').run(Buffer.alloc(32), Buffer.alloc(32));
    db.prepare("INSERT INTO placements (content_id, folder_id, uidvalidity, uid, flags, internal_date, added_at) VALUES (1, 1, 5, 7, ' ', 0, 0)").run();
    // the same (folder, uidvalidity, uid) twice is refused by the schema itself
    expect(() => db.prepare("INSERT INTO placements (content_id, folder_id, uidvalidity, uid, flags, internal_date, added_at) VALUES (1, 1, 5, 7, ' ', 0, 0)").run()).toThrow(/UNIQUE/);
    // applying again changes nothing
    migrate(db, [migration001]);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../db.node.ts';
import { migration001 } from './001-core.node.ts';
import { migration002 } from './002-search.node.ts';

describe('migration 002 (search)', () => {
  it('upgrades a version-1 database: adds meta and a contentless, accent-folding FTS index', () => {
    const db = new Database(':memory:');
    migrate(db, [migration001]);
    db.prepare('INSERT INTO contents (sha256, norm_hash, size, storage, added_at) VALUES (?, ?, 1, 0, 1)').run(Buffer.alloc(32), Buffer.alloc(32));
    migrate(db, [migration001, migration002]);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare('SELECT count(*) FROM contents').pluck().get()).toBe(1); // data kept
    db.prepare("INSERT INTO fts (rowid, subject, sender, recipients, cc, body, filenames) VALUES (1, 'Régate', 'jean.dupont@example.fr', '', '', 'assemblée', '')").run();
    expect(db.prepare("SELECT rowid FROM fts WHERE fts MATCH 'regate'").pluck().all()).toEqual([1]);
    expect(db.prepare("SELECT rowid FROM fts WHERE fts MATCH 'sender: dupont'").pluck().all()).toEqual([1]);
    expect(db.prepare("SELECT rowid FROM fts WHERE fts MATCH 'assembl*'").pluck().all()).toEqual([1]);
    // contentless: the index keeps no copy of the text
    expect(db.prepare('SELECT subject FROM fts WHERE rowid = 1').pluck().get()).toBeNull();
    db.prepare('DELETE FROM fts WHERE rowid = 1').run(); // contentless_delete=1 allows removal
    expect(db.prepare("SELECT rowid FROM fts WHERE fts MATCH 'regate'").pluck().all()).toEqual([]);
  });
});

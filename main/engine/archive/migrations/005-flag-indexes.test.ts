import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../db.node.ts';
import { migration001 } from './001-core.node.ts';
import { migration002 } from './002-search.node.ts';
import { migration003 } from './003-placement-order.node.ts';
import { migration004 } from './004-filter-indexes.node.ts';
import { FLAGGED_CONDITION, UNREAD_CONDITION, migration005 } from './005-flag-indexes.node.ts';

describe('migration 005 (flag indexes)', () => {
  it('upgrades a version-4 database with placements; is:unread and is:flagged read the partial indexes', () => {
    const db = new Database(':memory:');
    const before = [migration001, migration002, migration003, migration004];
    migrate(db, before);
    db.prepare('INSERT INTO accounts (url, created_at) VALUES (?, 1)').run('imaps://a@h:993');
    db.prepare('INSERT INTO folders (account_id, path) VALUES (1, ?)').run('INBOX');
    const content = db.prepare('INSERT INTO contents (sha256, norm_hash, size, storage, added_at) VALUES (?, ?, 1, 0, 1)');
    const place = db.prepare('INSERT INTO placements (content_id, folder_id, uidvalidity, uid, flags, internal_date, added_at) VALUES (?, 1, 1, ?, ?, 0, 0)');
    const flags = [' \\Seen ', ' ', ' \\Seen \\Flagged ', ' \\Flagged '];
    flags.forEach((f, i) => {
      content.run(Buffer.alloc(32, i), Buffer.alloc(32, i));
      place.run(i + 1, i + 1, f);
    });
    migrate(db, [...before, migration005]);
    expect(db.pragma('user_version', { simple: true })).toBe(5);
    const q = (cond: string): { ids: number[]; plan: string } => {
      const sql = `SELECT p.content_id FROM placements p WHERE p.${cond} ORDER BY p.content_id`;
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
      return { ids: db.prepare(sql).pluck().all() as number[], plan };
    };
    expect(q(UNREAD_CONDITION)).toEqual({ ids: [2, 4], plan: expect.stringContaining('placements_unread') });
    expect(q(FLAGGED_CONDITION)).toEqual({ ids: [3, 4], plan: expect.stringContaining('placements_flagged') });
    // a flag change keeps the index right
    db.prepare("UPDATE placements SET flags = ' \\Seen ' WHERE content_id = 2").run();
    expect(q(UNREAD_CONDITION).ids).toEqual([4]);
  });
});

import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../db.node.ts';
import { migration001 } from './001-core.node.ts';
import { migration002 } from './002-search.node.ts';
import { migration003 } from './003-placement-order.node.ts';
import { migration004 } from './004-filter-indexes.node.ts';

describe('migration 004 (filter indexes)', () => {
  it('upgrades a version-3 database; attachment and size filters use indexes', () => {
    const db = new Database(':memory:');
    migrate(db, [migration001, migration002, migration003]);
    migrate(db, [migration001, migration002, migration003, migration004]);
    expect(db.pragma('user_version', { simple: true })).toBe(4);
    const plan = (sql: string): string => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan('SELECT content_id FROM meta WHERE has_attachment = 1 ORDER BY date DESC LIMIT 20')).toContain('meta_attachment_date');
    expect(plan('SELECT count(*) FROM contents WHERE size > 1000')).toContain('contents_size');
  });
});

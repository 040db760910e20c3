import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../db.node.ts';
import { migration001 } from './001-core.node.ts';
import { migration002 } from './002-search.node.ts';
import { migration003 } from './003-placement-order.node.ts';

describe('migration 003 (placement order)', () => {
  it('upgrades a version-2 database and makes folder listing use the new index', () => {
    const db = new Database(':memory:');
    migrate(db, [migration001, migration002]);
    migrate(db, [migration001, migration002, migration003]);
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT id FROM placements WHERE folder_id = 1 AND (uid, uidvalidity, id) > (5, 1, 0) ORDER BY uid, uidvalidity, id LIMIT 10')
      .all() as { detail: string }[];
    const text = plan.map((r) => r.detail).join(' | ');
    expect(text).toContain('placements_folder_uid');
    expect(text).not.toContain('TEMP B-TREE');
  });
});

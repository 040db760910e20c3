import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from './db.node.ts';
import { SCHEMA_VERSION } from './migrations/index.node.ts';
import { describeError, isArcheError, type ArcheErrorData } from '../../../shared/errors.std.ts';

describe('openDatabase', () => {
  it('uses WAL and foreign keys, and applies every migration', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'arche-db-')), 'a.sqlite');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('refuses a database written by a newer Arche, in plain words, without touching it', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'arche-db-')), 'a.sqlite');
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    let err: unknown;
    try {
      openDatabase(file);
    } catch (e) {
      err = e;
    }
    expect(isArcheError(err)).toBe(true);
    const data = (err as { toData(): ArcheErrorData }).toData();
    expect(data).toEqual({ code: 'archive-too-new', fields: { found: SCHEMA_VERSION + 1, supported: SCHEMA_VERSION } });
    expect(describeError(data, 'fr').message).toMatch(/version plus récente/);
    expect(describeError(data, 'en').action).toMatch(/latest version/);
    const again = new Database(file);
    expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    again.close();
  });
});

/**
 * An upgrade never strands a user's archive: each archive kept in test/fixtures/archives/schema-N/ was made by the
 * release whose schema is N (scripts/make-archive-fixture.ts), with what that release answered about it
 * (expect.json). This version must open a copy, migrate it, and give the same answers: the same bytes for every
 * message (inline and in blobs/), the same placements, flags, marks and alarms, the same search results (in process
 * and through `arche search`), the same message views; and it must keep writing into it without doubling anything.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openArchive } from '../../main/engine/archive/archive.node.ts';
import { DB_FILE } from '../../main/engine/archive/location.node.ts';
import { migrate } from '../../main/engine/archive/db.node.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../../main/engine/archive/migrations/index.node.ts';
import { extractMeta } from '../../main/engine/archive/extract-meta.node.ts';
import { search } from '../../main/engine/find/search.node.ts';
import { getMessage } from '../../main/engine/find/message.node.ts';
import { isArcheError } from '../../shared/errors.std.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'archives');
const NOW = Date.UTC(2026, 11, 1);

interface Expected {
  schemaVersion: number;
  account: string;
  pendingIndex: number;
  counts: { messages: number; missing: number };
  alarms: { folderPath: string | null; kind: string; missing: number }[];
  placements: { folder: string; uidvalidity: number; uid: number; flags: string[]; internalDate: number; sha256: string; gone: boolean }[];
  contents: { sha256: string; size: number; check: string }[];
  searches: Record<string, { total: number; ids: string[] }>;
  views: Record<string, { subject: string; from: string; folders: string[]; attachments: string[] }>;
}

const fixtures = readdirSync(FIXTURES).filter((d) => /^schema-\d+$/.test(d)).sort();
const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** A copy of the fixture's archive folder (the fixture itself is never written). */
function copyOf(fixture: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'arche-upgrade-'));
  temps.push(dir);
  cpSync(path.join(FIXTURES, fixture, 'archive'), dir, { recursive: true });
  return dir;
}

/** Every file of a folder with its hash, to prove the fixture stays as it was. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = path.join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out[path.relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

const placementKey = (p: { folder: string; uidvalidity: number; uid: number }): string => `${p.folder}\u0000${p.uidvalidity}\u0000${p.uid}`;

describe('archives left by earlier releases', () => {
  it('there is one for every release schema kept, none newer than this version', () => {
    expect(fixtures.length).toBeGreaterThan(0);
    for (const f of fixtures) expect(Number(f.slice('schema-'.length))).toBeLessThanOrEqual(SCHEMA_VERSION);
  });

  describe.each(fixtures)('%s', (fixture) => {
    const expected = JSON.parse(readFileSync(path.join(FIXTURES, fixture, 'expect.json'), 'utf8')) as Expected;
    const before = snapshot(path.join(FIXTURES, fixture));

    it('is what it claims: an archive at that schema, with messages in blobs/ as well as inline', () => {
      // Read from the file's header (user_version: 4 bytes at offset 60): opening it with SQLite would add -wal/-shm files.
      const header = readFileSync(path.join(FIXTURES, fixture, 'archive', DB_FILE)).subarray(0, 100);
      expect(header.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\u0000');
      expect(header.readUInt32BE(60)).toBe(expected.schemaVersion);
      expect(Object.keys(before).some((f) => f.startsWith(`archive${path.sep}blobs${path.sep}`))).toBe(true);
    });

    it('opens, migrates to this version, and keeps every message, placement, mark and alarm', async () => {
      const dir = copyOf(fixture);
      const archive = openArchive(dir);
      try {
        expect(archive.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
        const account = archive.getAccount(expected.account);
        expect(account).not.toBeNull();
        expect(archive.accountCounts(account!.id)).toMatchObject(expected.counts);
        expect(archive.alarms(account!.id).map((a) => ({ folderPath: a.folderPath, kind: a.kind, missing: a.missing }))).toEqual(expected.alarms);
        const placements = [...archive.placements({ includeGone: true })].map((p) => ({
          folder: p.folderPath, uidvalidity: p.uidvalidity, uid: p.uid, flags: p.flags, internalDate: p.internalDate, sha256: p.sha256, gone: p.serverGoneAt !== null,
        }));
        const byKey = (a: { folder: string; uidvalidity: number; uid: number }, b: { folder: string; uidvalidity: number; uid: number }) => placementKey(a).localeCompare(placementKey(b));
        expect(placements.sort(byKey)).toEqual([...expected.placements].sort(byKey));
        for (const c of expected.contents) {
          const raw = archive.readRaw(archive.contentIdBySha(c.sha256)!);
          expect(raw.length, c.sha256).toBe(c.size);
          expect(createHash('sha256').update(raw).digest('hex'), c.sha256).toBe(c.check);
        }
        for (const [id, view] of Object.entries(expected.views)) {
          const v = await getMessage(archive, id);
          expect({ subject: v.subject, from: v.from, folders: v.folders, attachments: v.attachments.map((a) => a.filename) }, id).toEqual(view);
        }
      } finally {
        archive.close();
      }
    });

    it('searches it with the same answers, then indexes what the old release left pending', async () => {
      const dir = copyOf(fixture);
      const archive = openArchive(dir);
      try {
        for (const [q, want] of Object.entries(expected.searches)) {
          const r = search(archive.db, q, { limit: 100, now: NOW });
          expect({ total: r.total, ids: r.results.map((h) => h.id).sort() }, q).toEqual(want);
        }
        expect(archive.pendingIndexCount()).toBe(expected.pendingIndex);
        expect(await archive.indexPending()).toBe(expected.pendingIndex);
        expect(archive.pendingIndexCount()).toBe(0);
        // Entries made by an older version are made again from the stored bytes (migration 007), newest first;
        // nothing found before is lost (a search may find more: the HTML version's words, stems).
        if (SCHEMA_VERSION >= 7 && expected.schemaVersion < 7) {
          const queued = archive.reindexCount();
          expect(queued).toBeGreaterThan(0);
          expect(await archive.reindexText()).toBe(queued);
          expect(archive.reindexCount()).toBe(0);
          for (const [q, want] of Object.entries(expected.searches)) {
            const ids = search(archive.db, q, { limit: 100, now: NOW }).results.map((h) => h.id);
            expect(ids, q).toEqual(expect.arrayContaining(want.ids));
          }
        }
        // Conversations (migration 009): every stored message is read again, header block only, into one.
        if (SCHEMA_VERSION >= 9 && expected.schemaVersion < 9) {
          const contents = archive.db.prepare('SELECT count(*) FROM contents').pluck().get() as number;
          expect(archive.threadBackfillCount()).toBe(contents);
          expect(await archive.backfillThreads()).toBe(contents);
          expect(archive.threadBackfillCount()).toBe(0);
          expect(archive.db.prepare('SELECT count(*) FROM threads').pluck().get()).toBe(contents);
          // each message with a Message-ID is found under it
          const ids = archive.db.prepare('SELECT count(*) FROM meta m JOIN threads t ON t.content_id = m.content_id WHERE m.message_id IS NOT NULL AND t.msgid IS NULL').pluck().get();
          expect(ids).toBe(0);
        }
      } finally {
        archive.close();
      }
    });

    it('answers `arche search` the same (native fast path or Node, as the user runs it)', () => {
      const dir = copyOf(fixture);
      // Queries whose answer the pending message (indexed first thing by `arche search`) does not change.
      for (const q of ['reunion', 'oeuvre', 'from:helene', 'subject:compte', 'enorme', 'photo', 'voyage OR devis']) {
        const r = spawnSync(path.join(ROOT, 'bin', 'arche'), ['search', '--archive', dir, '--json', '--limit', '100', q], { encoding: 'utf8', env: { ...process.env, ARCHE_NODE: process.execPath } });
        expect(r.status, `${q}: ${r.stderr}`).toBe(0);
        const out = JSON.parse(r.stdout) as { total: number; results: { id: string }[] };
        expect(out.results.map((h) => h.id).sort(), q).toEqual(expected.searches[q].ids);
      }
    });

    it('keeps being written to: a message seen again is not doubled, a new one is stored and found', async () => {
      const dir = copyOf(fixture);
      const archive = openArchive(dir);
      try {
        const account = archive.getAccount(expected.account)!;
        const inbox = archive.listFolders(account.id).find((f) => f.path === 'INBOX')!;
        const known = expected.placements.find((p) => p.folder === 'INBOX' && !p.gone)!;
        const raw = archive.readRaw(archive.contentIdBySha(known.sha256)!);
        const same = archive.addMessages([{ folderId: inbox.id, uidvalidity: known.uidvalidity, uid: known.uid, flags: known.flags, internalDate: known.internalDate, raw, meta: await extractMeta(raw) }]);
        expect(same).toMatchObject({ placementsAdded: 0, contentsAdded: 0, alreadyPresent: 1 });
        const fresh = Buffer.from('From: Nina <nina@exemple.fr>\r\nSubject: Après la mise à jour\r\nDate: Mon, 1 Dec 2026 09:00:00 +0100\r\n\r\nToujours là : kiwimangue.\r\n');
        const added = archive.addMessages([{ folderId: inbox.id, uidvalidity: known.uidvalidity, uid: 9000, flags: [], internalDate: NOW, raw: fresh, meta: await extractMeta(fresh) }]);
        expect(added).toMatchObject({ placementsAdded: 1, contentsAdded: 1 });
        expect(search(archive.db, 'kiwimangue', { now: NOW }).total).toBe(1);
        expect(archive.accountCounts(account.id).messages).toBe(expected.counts.messages + 1);
      } finally {
        archive.close();
      }
    });

    it('takes a next schema step, and a release that does not know it refuses it in plain words', () => {
      const dir = copyOf(fixture);
      const db = new Database(path.join(dir, DB_FILE));
      try {
        migrate(db, [...MIGRATIONS, { version: SCHEMA_VERSION + 1, name: 'next', sql: 'CREATE TABLE next_step (x INTEGER);' }]);
        expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
        expect(db.prepare('SELECT count(*) FROM contents').pluck().get()).toBe(expected.contents.length);
      } finally {
        db.close();
      }
      let err: unknown;
      try {
        openArchive(dir).close();
      } catch (e) {
        err = e;
      }
      expect(isArcheError(err) && err.code).toBe('archive-too-new');
    });

    it('was never written by the tests (each test used its own copy)', () => {
      expect(snapshot(path.join(FIXTURES, fixture))).toEqual(before);
    });
  });
});

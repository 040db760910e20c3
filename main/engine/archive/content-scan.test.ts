/**
 * The scan on worker threads and on the scanning thread finds the same damage, counts every content once in id
 * order, and a pause leaves "every id up to lastId checked" true (real SQLite, real files, real workers).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openArchive } from './archive.node.ts';
import { blobPath } from './blob-store.node.ts';
import { scanContents } from './content-scan.node.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** 300 small messages (inline rows, compressed) and 4 of 400 KB (blob files); three of them damaged. */
function damagedArchive(): { dir: string; damaged: string[] } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'arche-scan-'));
  dirs.push(dir);
  const raws = Array.from({ length: 304 }, (_, i) =>
    Buffer.from(`Subject: m${i}\r\n\r\n${i % 76 === 75 ? randomBytes(400 * 1024).toString('base64') : `Bonjour ${i} `.repeat(200)}\r\n`),
  );
  const a = openArchive(dir);
  try {
    const acc = a.ensureAccount('imaps://club@127.0.0.1:993');
    const f = a.upsertFolder(acc.id, { path: 'INBOX', delimiter: '/', specialUse: null });
    a.addMessages(raws.map((raw, i) => ({ folderId: f.id, uidvalidity: 1, uid: i + 1, flags: [], internalDate: 0, raw })), { folderId: f.id, uidvalidity: 1, uidnext: 305 });
    a.db.prepare('UPDATE contents_raw SET data = ? WHERE content_id = ?').run(Buffer.from('abîmé'), a.contentIdBySha(sha(raws[10]!)));
  } finally {
    a.close();
  }
  const flipped = blobPath(dir, sha(raws[75]!));
  const bytes = readFileSync(flipped);
  bytes[100] ^= 1;
  writeFileSync(flipped, bytes);
  rmSync(blobPath(dir, sha(raws[151]!)));
  return { dir, damaged: [sha(raws[10]!), sha(raws[75]!), sha(raws[151]!)] };
}

describe('scanContents', () => {
  it('finds the same damage on worker threads and in place, each content counted once, in id order', async () => {
    const { dir, damaged } = damagedArchive();
    const a = openArchive(dir);
    try {
      for (const threads of [true, false]) {
        const seen: number[] = [];
        const r = await scanContents(a.db, dir, { threads, onContent: (id) => seen.push(id) });
        expect(r.stopped).toBe(false);
        expect(seen).toEqual(Array.from({ length: 304 }, (_, i) => i + 1));
        expect(r.lastId).toBe(304);
        expect(r.damaged.map((d) => [d.sha256, d.why])).toEqual([
          [damaged[0], 'hash'],
          [damaged[1], 'hash'],
          [damaged[2], 'missing'],
        ]);
      }
    } finally {
      a.close();
    }
  });

  it('a pause stops at a content: everything up to lastId was counted, and resuming after it counts the rest once', async () => {
    const { dir } = damagedArchive();
    const a = openArchive(dir);
    try {
      const ctl = new AbortController();
      const seen: number[] = [];
      const first = await scanContents(a.db, dir, { signal: ctl.signal, onContent: (id) => (seen.push(id), id === 120 && ctl.abort()) });
      expect(first).toMatchObject({ stopped: true, lastId: 120 });
      expect(first.damaged).toHaveLength(2);
      const second = await scanContents(a.db, dir, { afterId: first.lastId, onContent: (id) => seen.push(id) });
      expect(second.stopped).toBe(false);
      expect(seen).toEqual(Array.from({ length: 304 }, (_, i) => i + 1));
      expect(second.damaged.map((d) => d.why)).toEqual(['missing']);
    } finally {
      a.close();
    }
  });
});
